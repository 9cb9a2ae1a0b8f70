/**
 * Road transport (运输). DOMAIN.md: vehicles (owned, leased, affiliated, on loan), tonnage, trips per month, km,
 * freight rate, fuel per 100 km, tolls, repairs, insurance, wages, receivable days. Revenue = tonnes × km × rate.
 */
import { L, add, count, div, impossible, k, lte, money, mul, num, ref } from '../build.js';
import {
  assetSection,
  claimsSection,
  commonCostQuestions,
  commonOther,
  commonTax,
  fixedAssetGroup,
  historySection,
  householdSection,
  inflowComputed,
  inflowRoute,
  inflowSection,
  liabilitySection,
  profileSection,
  seasonFactor,
  seasonProfile,
  seasonQuestions,
  statedRoute,
} from '../common.js';
import type { SurveyTemplate } from '../schema.js';

const vehicles = fixedAssetGroup('vehicles', '营运车辆', 'Trucks');
const annualToMonthly = (id: string, zh: string, en: string, source: string) => ({
  id,
  label: L(zh, en),
  type: 'money' as const,
  expr: div(ref(source), k(12)),
});

export const transportTemplate: SurveyTemplate = {
  id: 'ipc_transport',
  version: 1,
  sector: 'transport',
  title: L('道路运输 调查表', 'Road transport survey'),
  sections: [
    profileSection(),
    {
      id: 'fleet',
      title: L('车辆与运量', 'Fleet and work'),
      questions: [
        count('vehicles_in_service', '营运车辆数', 'Vehicles in service', '辆', { required: true, max: 500 }),
        count('vehicles_owned', '其中自有', 'of which owned', '辆', { max: 500 }),
        count('vehicles_on_loan', '其中按揭未还清', 'of which still on a loan', '辆', { max: 500 }),
        count('vehicles_leased', '其中租赁', 'of which leased', '辆', { max: 500 }),
        count('vehicles_affiliated', '其中挂靠', 'of which affiliated (挂靠)', '辆', { max: 500 }),
        num('tonnage_per_vehicle', '核定载重', 'Rated load per vehicle', '吨', {
          min: 0,
          max: 100,
          allowedUnits: ['t', 'kg'],
        }),
        num('load_tonnes_per_trip', '每趟实际装载', 'Actual load per trip', '吨', {
          min: 0,
          max: 200,
          required: true,
          allowedUnits: ['t', 'kg'],
        }),
        num('trips_per_month_per_vehicle', '每车每月趟数', 'Trips per vehicle per month', '趟', {
          min: 0,
          max: 120,
          required: true,
        }),
        num('loaded_km_per_trip', '每趟重载里程', 'Loaded km per trip', '公里', {
          min: 0,
          max: 6_000,
          required: true,
          allowedUnits: ['km'],
        }),
        num(
          'total_km_per_trip',
          '每趟总里程（含空驶回程）',
          'Total km per trip (incl. empty return)',
          '公里',
          {
            min: 0,
            max: 12_000,
            allowedUnits: ['km'],
          },
        ),
        money('freight_rate_per_tkm', '运价（元/吨公里）', 'Freight rate per tonne-km', { required: true }),
        money('freight_per_trip_stated', '客户说每趟运费', 'Freight per trip as the owner tells it'),
        num('fuel_l_per_100km', '百公里油耗', 'Fuel per 100 km', '升', { min: 0, max: 100 }),
        money('fuel_price_per_l', '油价（元/升）', 'Fuel price per litre'),
        money('tolls_per_trip', '每趟过路费', 'Tolls per trip'),
        money('fuel_card_spend_monthly', '油卡月均消费', 'Fuel card spend per month'),
        money('etc_toll_spend_monthly', 'ETC月均扣费', 'ETC toll spend per month'),
        ...seasonQuestions(),
      ],
    },
    {
      id: 'costs',
      title: L('经营费用', 'Operating costs'),
      questions: [
        money('driver_wages_monthly', '司机工资（月）', 'Drivers’ wages per month'),
        money('repairs_annual', '年维修保养费', 'Repairs and maintenance per year'),
        money('insurance_annual', '年保险费', 'Insurance per year'),
        money(
          'other_operating_monthly',
          '其他费用（挂靠费、停车、GPS，月）',
          'Other costs (affiliation, parking, GPS) per month',
        ),
        ...commonCostQuestions(),
      ],
    },
    inflowSection(),
    assetSection(
      [
        money('inventory_fuel_parts', '库存油料配件', 'Fuel and spare parts in stock', {
          ledger: 'asset.inventory',
        }),
      ],
      vehicles.questions,
    ),
    liabilitySection(),
    householdSection(),
    historySection(),
    claimsSection(),
  ],
  computed: [
    {
      id: 'trips_monthly',
      label: L('月总趟数', 'Trips per month, all vehicles'),
      type: 'number',
      unit: '趟',
      expr: mul(ref('vehicles_in_service'), ref('trips_per_month_per_vehicle')),
    },
    {
      id: 'revenue_per_trip',
      label: L('每趟运费（吨×公里×运价）', 'Freight per trip (tonnes × km × rate)'),
      type: 'money',
      expr: mul(ref('load_tonnes_per_trip'), ref('loaded_km_per_trip'), ref('freight_rate_per_tkm')),
    },
    {
      id: 'cost_per_trip',
      label: L('每趟油费与过路费', 'Fuel and tolls per trip'),
      type: 'money',
      expr: add(
        mul(div(ref('total_km_per_trip'), k(100)), ref('fuel_l_per_100km'), ref('fuel_price_per_l')),
        ref('tolls_per_trip', 0),
      ),
    },
    seasonFactor(),
    {
      id: 'sales_monthly_by_trips',
      label: L('按趟数×吨公里推算月均销售额', 'Average monthly sales from trips × tonne-km'),
      type: 'money',
      expr: mul(ref('trips_monthly'), ref('revenue_per_trip'), ref('season_factor')),
    },
    {
      id: 'sales_monthly_by_freight_stated',
      label: L('按每趟运费推算月均销售额', 'Average monthly sales from freight per trip'),
      type: 'money',
      expr: mul(ref('trips_monthly'), ref('freight_per_trip_stated'), ref('season_factor')),
    },
    {
      id: 'purchases_monthly',
      label: L('月均油卡与ETC支出', 'Average monthly fuel card and ETC spend'),
      type: 'money',
      expr: add(ref('fuel_card_spend_monthly'), ref('etc_toll_spend_monthly', 0)),
    },
    annualToMonthly('repairs_monthly', '月均维修', 'Repairs per month', 'repairs_annual'),
    annualToMonthly('insurance_monthly', '月均保险', 'Insurance per month', 'insurance_annual'),
    inflowComputed(),
  ],
  constraints: [
    impossible(
      'on_loan_within_owned',
      'vehicles_on_loan',
      lte(ref('vehicles_on_loan'), ref('vehicles_owned')),
      '按揭车辆多于自有车辆',
      'more vehicles on loan than owned',
    ),
    impossible(
      'load_within_rating',
      'load_tonnes_per_trip',
      lte(ref('load_tonnes_per_trip'), mul(ref('tonnage_per_vehicle'), k(1.5))),
      '装载超过核定载重的1.5倍',
      'load is above 1.5 × the rated load',
    ),
    impossible(
      'loaded_within_total_km',
      'total_km_per_trip',
      lte(ref('loaded_km_per_trip'), ref('total_km_per_trip')),
      '总里程少于重载里程',
      'total km is below loaded km',
    ),
  ],
  financials: {
    primaryRoute: 'trips',
    routes: [
      {
        id: 'trips',
        label: L('趟数×吨×公里×运价', 'trips × tonnes × km × rate'),
        kind: 'revenue',
        ref: 'sales_monthly_by_trips',
      },
      {
        id: 'freight_stated',
        label: L('每趟运费×趟数', 'freight per trip × trips'),
        kind: 'revenue',
        ref: 'sales_monthly_by_freight_stated',
      },
      {
        id: 'purchases',
        label: L('油费过路费÷(1−毛利率)', 'fuel and tolls ÷ (1 − margin)'),
        kind: 'purchases',
        ref: 'purchases_monthly',
      },
      inflowRoute,
      statedRoute,
    ],
    productLines: [
      {
        id: 'freight',
        label: L('货运', 'freight'),
        revenueRef: 'sales_monthly_by_trips',
        unitCostRef: 'cost_per_trip',
        unitPriceRef: 'revenue_per_trip',
      },
    ],
    claimedMarginRef: 'gross_margin_claimed_pct',
    operatingCosts: [
      { id: 'wages', label: L('司机工资', 'drivers’ wages'), ref: 'driver_wages_monthly' },
      { id: 'repairs', label: L('维修保养', 'repairs'), ref: 'repairs_monthly' },
      { id: 'insurance', label: L('保险', 'insurance'), ref: 'insurance_monthly' },
      {
        id: 'other_operating',
        label: L('其他费用', 'other operating costs'),
        ref: 'other_operating_monthly',
      },
    ],
    otherIncome: [],
    tax: commonTax,
    other: commonOther,
    fixedAssets: [vehicles.group],
    profile: seasonProfile,
  },
};
