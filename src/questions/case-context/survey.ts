/**
 * Catalogue survey fields (src/questions/sources.ts) from the officer's IPC survey (src/cases/templates): one
 * explicit rule per field and sector, naming the template questions it rests on and the formula.
 *
 * Rules read answered questions only (never computed fields, whose defaults would turn a missing answer into
 * zero): a value whose answers are missing is left out, never set to zero. Units follow the catalogue's facts
 * (斤 not kg, fractions not percent, yuan); 1 斤 = 0.5 kg (the statutory market unit, as in units.ts).
 */
import { allQuestions, sourcesOf, surveyValues } from '../../cases/templates/index.js';
import type { Answers, Scalar, SurveyTemplate } from '../../cases/templates/index.js';
import type { Financials } from '../../scoring/ipc/index.js';
import type { CaseValue } from '../schemas.js';
import type { DisplayField, Sector } from '../types.js';

/** The survey as the rules see it: answers of shown questions, in canonical units (money in yuan). */
export interface SurveyReader {
  readonly template: SurveyTemplate;
  num(id: string): number | undefined;
  str(id: string): string | undefined;
  bool(id: string): boolean | undefined;
  /** The chosen option's zh-CN label of a choice question. */
  choiceLabel(id: string): string | undefined;
  /** A question is answered; a computed field counts when every question it rests on is answered. */
  answered(id: string): boolean;
}

export function surveyReader(template: SurveyTemplate, answers: Answers): SurveyReader {
  const values: ReadonlyMap<string, Scalar> = surveyValues(template, answers);
  const questions = new Map(allQuestions(template).map((q) => [q.id, q]));
  const get = (id: string) => (questions.has(id) ? values.get(id) : undefined);
  return {
    template,
    num: (id) => {
      const v = get(id);
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    },
    str: (id) => {
      const v = get(id);
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    },
    bool: (id) => {
      const v = get(id);
      return typeof v === 'boolean' ? v : undefined;
    },
    choiceLabel: (id) => {
      const v = get(id);
      return questions.get(id)?.choices?.find((c) => c.id === v)?.label['zh-CN'];
    },
    answered: (id) =>
      questions.has(id)
        ? values.has(id)
        : values.has(id) && sourcesOf(template, id).every((q) => values.has(q)),
  };
}

/** What else a rule may read besides the survey. */
export interface RuleExtras {
  financials: Financials | undefined;
  display: Partial<Record<DisplayField, string>>;
}

export interface SurveyFieldRule {
  /** The catalogue's survey field (a name of DEFAULT_KNOWN_SOURCES.survey). */
  field: string;
  /** Template question ids the value rests on; empty when it comes from elsewhere (see formula). */
  from: readonly string[];
  formula: string;
  value: (s: SurveyReader, extras: RuleExtras) => CaseValue | undefined;
}

type N = number | undefined;

const product = (...xs: N[]): N =>
  xs.every((x) => x !== undefined) ? xs.reduce<number>((p, x) => p * x, 1) : undefined;
const quotient = (a: N, b: N): N => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
/** Derived money to the fen, other derived quantities to 1e-6: expectations, not stored amounts. */
const fen = (x: N): N => (x === undefined ? undefined : Math.round(x * 100) / 100);
const fine = (x: N): N => (x === undefined ? undefined : Math.round(x * 1e6) / 1e6);

const JIN_PER_KG = 2;
const WEEKS_PER_MONTH = 52 / 12;
const DAYS_PER_YEAR = 365;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

/** A rule that copies one answered question. */
const same = (field: string, id: string): SurveyFieldRule => ({
  field,
  from: [id],
  formula: id,
  value: (s) => s.num(id) ?? s.str(id) ?? s.bool(id),
});

/** The survey's loan-purpose choices (common.ts claimsSection) → the catalogue's loan.purpose choices. */
export const LOAN_PURPOSE_CHOICES: Readonly<Record<string, string>> = {
  working_capital: 'stock',
  equipment: 'equipment',
  premises: 'premises',
  livestock: 'animals',
  inputs: 'seeds_fertiliser',
  vehicle: 'vehicle',
  other: 'other',
};

/**
 * What an IPC loan is repaid from: the business's own cash flow (DOMAIN.md, "Capacity to repay comes from
 * the rebuilt cash flow"), named as the applicant would name it in each sector.
 */
export const REPAYMENT_SOURCE_BY_SECTOR: Readonly<Record<Sector, string>> = {
  grocery: 'business_income',
  restaurant: 'business_income',
  transport: 'business_income',
  processing: 'business_income',
  crops: 'harvest',
  livestock: 'animal_sales',
};

const COMMON_RULES: readonly SurveyFieldRule[] = [
  same('applicant.age', 'owner_age'),
  same('household.size', 'household_size'),
  {
    field: 'premises.village',
    from: [],
    formula: 'display.village (the registered business address; the survey records GPS only)',
    value: (_s, x) => x.display.village?.trim() || undefined,
  },
  {
    field: 'loan.purpose',
    from: ['loan_purpose'],
    formula: 'loan_purpose through LOAN_PURPOSE_CHOICES',
    value: (s) => {
      const v = s.str('loan_purpose');
      return v === undefined ? undefined : LOAN_PURPOSE_CHOICES[v];
    },
  },
  {
    field: 'loan.repayment_source',
    from: [],
    formula:
      "the sector's business income (REPAYMENT_SOURCE_BY_SECTOR) when the rebuilt net profit is positive",
    value: (s, x) =>
      x.financials && x.financials.pnlMonthly.netProfit.amountFen > 0
        ? REPAYMENT_SOURCE_BY_SECTOR[s.template.sector]
        : undefined,
  },
];

const GROCERY: readonly SurveyFieldRule[] = [
  same('premises.area_sqm', 'floor_area'),
  same('purchases.amount_per_time', 'purchase_amount_per_time'),
  same('purchases.times_per_month', 'purchase_times_per_month'),
  same('grocery.daily_takings_normal', 'takings_normal_day'),
  same('grocery.daily_takings_peak', 'takings_peak_day'),
  same('grocery.trading_days_month', 'trading_days_per_month'),
  {
    field: 'grocery.weekly_purchases',
    from: ['purchase_amount_per_time', 'purchase_times_per_month'],
    formula: 'purchase_amount_per_time × purchase_times_per_month × 12 / 52 (a normal month, no season)',
    value: (s) =>
      fen(
        quotient(
          product(s.num('purchase_amount_per_time'), s.num('purchase_times_per_month')),
          WEEKS_PER_MONTH,
        ),
      ),
  },
];

const RESTAURANT: readonly SurveyFieldRule[] = [
  same('restaurant.seats', 'seats'),
  same('restaurant.daily_takings', 'takings_normal_day'),
  same('restaurant.avg_bill_per_person', 'avg_bill_per_customer'),
  same('restaurant.opening_days_month', 'opening_days_per_month'),
  same('business.staff_count', 'staff_count'),
  same('business.wage_per_staff', 'staff_wage_monthly'),
  {
    field: 'restaurant.daily_covers',
    from: ['seats', 'table_turns_per_day'],
    formula: 'seats × table_turns_per_day (dine-in guests; delivery orders are not covers)',
    value: (s) => fine(product(s.num('seats'), s.num('table_turns_per_day'))),
  },
];

const CROPS: readonly SurveyFieldRule[] = [
  same('farm.buyer_paid_annual', 'sold_to_buyer_last_12m'),
  same('crops.area_mu_leased', 'mu_leased'),
  same('crops.rent_per_mu', 'land_rent_per_mu'),
  same('crops.input_cost_per_mu', 'main_crop_input_cost_per_mu'),
  {
    field: 'crops.area_mu_total',
    from: ['mu_owned', 'mu_leased'],
    // The template's own total (crops.ts totalMu) counts an unanswered one of the two as none.
    formula: 'mu_owned + mu_leased (either may be unanswered, not both)',
    value: (s) => {
      const owned = s.num('mu_owned');
      const leased = s.num('mu_leased');
      return owned === undefined && leased === undefined ? undefined : (owned ?? 0) + (leased ?? 0);
    },
  },
  {
    field: 'crops.rent_total',
    from: ['mu_leased', 'land_rent_per_mu'],
    formula: 'mu_leased × land_rent_per_mu',
    value: (s) => fen(product(s.num('mu_leased'), s.num('land_rent_per_mu'))),
  },
  {
    field: 'crops.yield_per_mu',
    from: ['main_crop_yield_per_mu'],
    formula: 'main_crop_yield_per_mu (kg) × 2 斤/kg',
    value: (s) => fine(product(s.num('main_crop_yield_per_mu'), JIN_PER_KG)),
  },
  {
    field: 'crops.harvest_total_jin',
    from: ['main_crop_mu', 'main_crop_yield_per_mu'],
    formula:
      'main_crop_mu × main_crop_yield_per_mu (kg) × 2 斤/kg (the main crop only: yields of two crops do not add)',
    value: (s) => fine(product(s.num('main_crop_mu'), s.num('main_crop_yield_per_mu'), JIN_PER_KG)),
  },
  {
    field: 'crops.price_per_jin',
    from: ['main_crop_price_per_kg'],
    formula: 'main_crop_price_per_kg ÷ 2 斤/kg',
    value: (s) => fine(quotient(s.num('main_crop_price_per_kg'), JIN_PER_KG)),
  },
  {
    field: 'crops.input_cost_total',
    from: ['inputs_purchased_annual', 'has_second_crop'],
    // The catalogue asks for one season's inputs; a year with two crops buys for two seasons.
    formula: 'inputs_purchased_annual, when there is no second crop',
    value: (s) => (s.bool('has_second_crop') === true ? undefined : s.num('inputs_purchased_annual')),
  },
];

const LIVESTOCK: readonly SurveyFieldRule[] = [
  same('farm.buyer_paid_annual', 'sold_to_buyer_last_12m'),
  same('livestock.stock_on_hand', 'stock_on_hand'),
  same('livestock.heads_per_batch', 'heads_sold_per_cycle'),
  {
    field: 'livestock.batches_per_year',
    from: ['cycle_days'],
    formula: '365 ÷ cycle_days',
    value: (s) => fine(quotient(DAYS_PER_YEAR, s.num('cycle_days'))),
  },
  {
    field: 'livestock.sold_per_year',
    from: ['heads_sold_per_cycle', 'cycle_days'],
    formula: 'heads_sold_per_cycle × 365 ÷ cycle_days',
    value: (s) => fine(quotient(product(s.num('heads_sold_per_cycle'), DAYS_PER_YEAR), s.num('cycle_days'))),
  },
  {
    field: 'livestock.price_per_head',
    from: ['sale_weight_kg', 'price_per_kg'],
    formula: 'sale_weight_kg × price_per_kg',
    value: (s) => fen(product(s.num('sale_weight_kg'), s.num('price_per_kg'))),
  },
  {
    field: 'livestock.feed_per_head_day',
    from: ['feed_per_head_kg', 'cycle_days'],
    formula: 'feed_per_head_kg × 2 斤/kg ÷ cycle_days',
    value: (s) => fine(quotient(product(s.num('feed_per_head_kg'), JIN_PER_KG), s.num('cycle_days'))),
  },
  {
    field: 'livestock.feed_daily_jin',
    from: ['feed_purchases_monthly', 'feed_price_per_kg'],
    // From what is bought, not from the herd: an expectation independent of the head count it checks.
    formula: 'feed_purchases_monthly ÷ feed_price_per_kg × 2 斤/kg ÷ (365 / 12) days',
    value: (s) =>
      fine(
        quotient(
          product(quotient(s.num('feed_purchases_monthly'), s.num('feed_price_per_kg')), JIN_PER_KG),
          DAYS_PER_MONTH,
        ),
      ),
  },
  {
    field: 'livestock.mortality',
    from: ['mortality_pct'],
    formula: 'mortality_pct ÷ 100',
    value: (s) => fine(quotient(s.num('mortality_pct'), 100)),
  },
];

const fuelPerTrip = (s: SurveyReader): N =>
  fen(
    product(quotient(s.num('total_km_per_trip'), 100), s.num('fuel_l_per_100km'), s.num('fuel_price_per_l')),
  );

const TRANSPORT: readonly SurveyFieldRule[] = [
  same('transport.vehicles', 'vehicles_in_service'),
  same('transport.insurance_total', 'insurance_annual'),
  {
    field: 'transport.trips_month',
    from: ['vehicles_in_service', 'trips_per_month_per_vehicle'],
    formula: 'vehicles_in_service × trips_per_month_per_vehicle',
    value: (s) => fine(product(s.num('vehicles_in_service'), s.num('trips_per_month_per_vehicle'))),
  },
  {
    field: 'transport.freight_per_trip',
    from: ['freight_per_trip_stated', 'load_tonnes_per_trip', 'loaded_km_per_trip', 'freight_rate_per_tkm'],
    formula: 'freight_per_trip_stated, else load_tonnes_per_trip × loaded_km_per_trip × freight_rate_per_tkm',
    value: (s) =>
      s.num('freight_per_trip_stated') ??
      fen(product(s.num('load_tonnes_per_trip'), s.num('loaded_km_per_trip'), s.num('freight_rate_per_tkm'))),
  },
  {
    field: 'transport.fuel_per_trip',
    from: ['total_km_per_trip', 'fuel_l_per_100km', 'fuel_price_per_l'],
    formula: 'total_km_per_trip ÷ 100 × fuel_l_per_100km × fuel_price_per_l',
    value: fuelPerTrip,
  },
  {
    field: 'transport.fuel_monthly',
    from: ['fuel_card_spend_monthly', 'vehicles_in_service', 'trips_per_month_per_vehicle'],
    formula: 'fuel_card_spend_monthly, else trips per month × fuel per trip',
    value: (s) =>
      s.num('fuel_card_spend_monthly') ??
      fen(product(s.num('vehicles_in_service'), s.num('trips_per_month_per_vehicle'), fuelPerTrip(s))),
  },
  {
    field: 'transport.insurance_per_vehicle',
    from: ['insurance_annual', 'vehicles_in_service'],
    // The catalogue's default (8,000) would make a truthful insurance total imply the wrong fleet.
    formula: 'insurance_annual ÷ vehicles_in_service',
    value: (s) => fen(quotient(s.num('insurance_annual'), s.num('vehicles_in_service'))),
  },
];

const PROCESSING: readonly SurveyFieldRule[] = [
  same('business.main_product', 'product_description'),
  same('business.staff_count', 'headcount'),
  same('business.wage_per_staff', 'wage_per_worker_monthly'),
  same('processing.electricity_monthly', 'electricity_bill_monthly'),
  same('processing.orders_on_hand', 'orders_on_hand'),
];

/** Every survey field each sector's IPC template fills, common fields first. */
export const SURVEY_FIELD_RULES: Readonly<Record<Sector, readonly SurveyFieldRule[]>> = {
  grocery: [...COMMON_RULES, ...GROCERY],
  restaurant: [...COMMON_RULES, ...RESTAURANT],
  crops: [...COMMON_RULES, ...CROPS],
  livestock: [...COMMON_RULES, ...LIVESTOCK],
  transport: [...COMMON_RULES, ...TRANSPORT],
  processing: [...COMMON_RULES, ...PROCESSING],
};

/**
 * Display fields the survey itself names, for sectors whose question text needs them ("一亩地能打多少斤{crop}"):
 * the zh-CN label of the chosen option; 'other' names nothing.
 */
export const DISPLAY_FROM_SURVEY: Readonly<
  Partial<Record<Sector, { field: DisplayField; question: string }>>
> = {
  crops: { field: 'crop', question: 'main_crop_kind' },
  livestock: { field: 'livestock', question: 'species' },
};

export function displayFromSurvey(s: SurveyReader): Partial<Record<DisplayField, string>> {
  const rule = DISPLAY_FROM_SURVEY[s.template.sector];
  if (!rule || s.str(rule.question) === 'other') return {};
  const label = s.choiceLabel(rule.question);
  return label ? { [rule.field]: label } : {};
}
