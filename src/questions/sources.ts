/**
 * The names of case values a catalogue may refer to: survey fields of the officer's IPC survey, lines of
 * the rebuilt statements and outside-data (screening) facts.
 *
 * The authoritative lists belong to src/cases (survey, financials) and src/screening; until those modules
 * export them, this is the registry the default catalogue is validated against. Pass the live lists to
 * `validateCatalogue(…, { knownSources })` when saving a catalogue.
 */
import type { FactSource } from './types.js';

export interface KnownSources {
  survey: ReadonlySet<string> | readonly string[];
  financials: ReadonlySet<string> | readonly string[];
  screening: ReadonlySet<string> | readonly string[];
}

export const DEFAULT_KNOWN_SOURCES: KnownSources = {
  survey: [
    'applicant.age',
    'applicant.married',
    'household.size',
    'business.main_product',
    'business.staff_count',
    'business.wage_per_staff',
    'premises.village',
    'premises.neighbour',
    'premises.area_sqm',
    'purchases.amount_per_time',
    'purchases.times_per_month',
    'receivables.days',
    'receivables.credit_share',
    'loans.original_principal',
    'loan.purpose',
    'loan.repayment_source',
    'grocery.daily_takings_normal',
    'grocery.daily_takings_peak',
    'grocery.trading_days_month',
    'grocery.weekly_purchases',
    'restaurant.seats',
    'restaurant.tables',
    'restaurant.daily_takings',
    'restaurant.daily_covers',
    'restaurant.avg_bill_per_person',
    'restaurant.opening_days_month',
    'farm.buyer_paid_annual',
    'crops.area_mu_total',
    'crops.area_mu_leased',
    'crops.rent_per_mu',
    'crops.rent_total',
    'crops.yield_per_mu',
    'crops.harvest_total_jin',
    'crops.price_per_jin',
    'crops.input_cost_per_mu',
    'crops.input_cost_total',
    'livestock.stock_on_hand',
    'livestock.sold_per_year',
    'livestock.heads_per_batch',
    'livestock.batches_per_year',
    'livestock.feed_daily_jin',
    'livestock.feed_per_head_day',
    'livestock.price_per_head',
    'livestock.mortality',
    'transport.vehicles',
    'transport.trips_month',
    'transport.freight_per_trip',
    'transport.fuel_monthly',
    'transport.fuel_per_trip',
    'transport.insurance_total',
    'transport.insurance_per_vehicle',
    'processing.electricity_monthly',
    'processing.orders_on_hand',
    'processing.order_backlog_days',
  ],
  financials: [
    'pl.revenue.monthly',
    'pl.revenue.annual',
    'pl.cogs.monthly',
    'pl.gross_margin',
    'pl.opex.rent.monthly',
    'pl.opex.wages.monthly',
    'pl.net_profit.monthly',
    'bs.inventory',
    'bs.receivables',
    'bs.loans.total',
    'bs.private_borrowing',
    'cf.household_spending.monthly',
    'cf.debt_service.monthly',
  ],
  screening: [
    'registration.established_date',
    'tax.invoiced_sales.monthly',
    'court.dishonest_records',
    'credit.overdue_accounts',
  ],
};

const has = (list: ReadonlySet<string> | readonly string[], name: string): boolean =>
  list instanceof Set ? list.has(name) : (list as readonly string[]).includes(name);

/** Whether a source names a value the case data can carry ('none' always can). */
export function isKnownSource(source: FactSource, known: KnownSources): boolean {
  switch (source.kind) {
    case 'survey':
      return has(known.survey, source.field);
    case 'financials':
      return has(known.financials, source.line);
    case 'screening':
      return has(known.screening, source.fact);
    case 'none':
      return true;
  }
}

/** The qualified name of a source (`survey:grocery.daily_takings_normal`), for messages and reports. */
export function sourceName(source: FactSource): string {
  switch (source.kind) {
    case 'survey':
      return `survey:${source.field}`;
    case 'financials':
      return `financials:${source.line}`;
    case 'screening':
      return `screening:${source.fact}`;
    case 'none':
      return 'none';
  }
}

/** Every bare name in the lists (without the kind), to recognise a slot that would disclose a source value. */
export function allSourceNames(known: KnownSources): Set<string> {
  return new Set([...known.survey, ...known.financials, ...known.screening]);
}
