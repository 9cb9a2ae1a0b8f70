/**
 * Small processing (加工). DOMAIN.md: capacity and utilisation, orders on hand, main customers, input per unit,
 * scrap rate, electricity bills (an output proxy), headcount, equipment. Net margin 10–25%.
 */
import {
  L,
  add,
  count,
  div,
  frac,
  impossible,
  k,
  lte,
  money,
  mul,
  num,
  pct,
  ref,
  sub,
  text,
} from '../build.js';
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

const machinery = fixedAssetGroup('machinery', '生产设备', 'Production machinery');
const workshop = fixedAssetGroup('workshop', '厂房改造', 'Workshop fit-out');

export const processingTemplate: SurveyTemplate = {
  id: 'ipc_processing',
  version: 1,
  sector: 'processing',
  title: L('加工 调查表', 'Small processing survey'),
  sections: [
    profileSection(),
    {
      id: 'production',
      title: L('产能与订单', 'Capacity and orders'),
      questions: [
        text('product_description', '主要产品', 'Main products', 200, { required: true }),
        num('capacity_units_per_month', '月产能', 'Capacity per month', '件', { min: 0, max: 10_000_000 }),
        num('units_produced_per_month', '平常月产量', 'Output in a normal month', '件', {
          min: 0,
          max: 10_000_000,
          required: true,
        }),
        money('avg_price_per_unit', '平均出厂单价', 'Average price per unit', { required: true }),
        money('material_cost_per_unit', '每件原料成本', 'Material cost per unit', { required: true }),
        pct('scrap_rate_pct', '废品/损耗率', 'Scrap rate'),
        money('orders_on_hand', '在手订单金额', 'Orders on hand'),
        text('main_customers', '主要客户', 'Main customers', 300),
        money('material_purchases_monthly', '平常月原料采购额', 'Material purchases in a normal month'),
        money('electricity_bill_monthly', '平常月电费', 'Electricity bill in a normal month'),
        money('electricity_price_per_kwh', '电价（元/度）', 'Electricity price per kWh'),
        num('kwh_per_unit', '每件耗电', 'Electricity per unit', '度', { min: 0, max: 100_000 }),
        ...seasonQuestions(),
      ],
    },
    {
      id: 'costs',
      title: L('经营费用（月）', 'Operating costs (per month)'),
      questions: [
        count('headcount', '雇工人数', 'Workers', '人', { max: 500 }),
        money('wage_per_worker_monthly', '人均月工资', 'Wage per worker'),
        money('rent_monthly', '厂房月租金', 'Workshop rent'),
        money('other_operating_monthly', '其他经营费用', 'Other operating costs'),
        ...commonCostQuestions(),
      ],
    },
    inflowSection(),
    assetSection(
      [
        money('inventory_raw', '库存：原料', 'Stock: raw materials', { ledger: 'asset.inventory' }),
        money('inventory_wip', '库存：在制品', 'Stock: work in progress', { ledger: 'asset.inventory' }),
        money('inventory_finished', '库存：成品', 'Stock: finished goods', { ledger: 'asset.inventory' }),
      ],
      [...machinery.questions, ...workshop.questions],
    ),
    liabilitySection(),
    householdSection(),
    historySection(),
    claimsSection(),
  ],
  computed: [
    seasonFactor(),
    {
      id: 'sales_monthly_by_output',
      label: L('按产量×单价推算月均销售额', 'Average monthly sales from output × price'),
      type: 'money',
      expr: mul(ref('units_produced_per_month'), ref('avg_price_per_unit'), ref('season_factor')),
    },
    {
      id: 'sales_monthly_by_electricity',
      label: L('按电费推算月均销售额', 'Average monthly sales from the electricity bill'),
      type: 'money',
      // bill ÷ price per kWh ÷ kWh per unit = units; × price per unit
      expr: mul(
        div(ref('electricity_bill_monthly'), ref('electricity_price_per_kwh'), ref('kwh_per_unit')),
        ref('avg_price_per_unit'),
        ref('season_factor'),
      ),
    },
    {
      id: 'unit_cost_with_scrap',
      label: L('每件原料成本（含损耗）', 'Material cost per good unit (scrap included)'),
      type: 'money',
      expr: div(ref('material_cost_per_unit'), sub(k(1), frac(ref('scrap_rate_pct', 0)))),
    },
    {
      id: 'purchases_monthly',
      label: L('月均原料采购额', 'Average monthly material purchases'),
      type: 'money',
      expr: mul(ref('material_purchases_monthly'), ref('season_factor')),
    },
    {
      id: 'wages_total_monthly',
      label: L('月工资总额', 'Wage bill per month'),
      type: 'money',
      expr: mul(ref('headcount', 0), ref('wage_per_worker_monthly', 0)),
    },
    {
      id: 'electricity_monthly',
      label: L('月均电费', 'Electricity per month'),
      type: 'money',
      expr: mul(ref('electricity_bill_monthly', 0), ref('season_factor')),
    },
    inflowComputed(),
  ],
  constraints: [
    impossible(
      'output_within_capacity',
      'units_produced_per_month',
      lte(ref('units_produced_per_month'), ref('capacity_units_per_month')),
      '产量超过产能',
      'output exceeds capacity',
    ),
    impossible(
      'peak_output_within_capacity',
      'peak_season_uplift_pct',
      lte(
        mul(ref('units_produced_per_month'), add(k(1), frac(ref('peak_season_uplift_pct')))),
        ref('capacity_units_per_month'),
      ),
      '旺季产量超过产能',
      'peak-season output exceeds capacity',
    ),
  ],
  financials: {
    primaryRoute: 'output',
    routes: [
      {
        id: 'output',
        label: L('产量×单价', 'output × price'),
        kind: 'revenue',
        ref: 'sales_monthly_by_output',
      },
      {
        id: 'electricity',
        label: L('电费推算产量×单价', 'output implied by electricity × price'),
        kind: 'revenue',
        ref: 'sales_monthly_by_electricity',
      },
      {
        id: 'purchases',
        label: L('原料采购÷(1−毛利率)', 'material purchases ÷ (1 − margin)'),
        kind: 'purchases',
        ref: 'purchases_monthly',
      },
      inflowRoute,
      statedRoute,
    ],
    productLines: [
      {
        id: 'products',
        label: L('产品', 'products'),
        revenueRef: 'sales_monthly_by_output',
        unitCostRef: 'unit_cost_with_scrap',
        unitPriceRef: 'avg_price_per_unit',
      },
    ],
    claimedMarginRef: 'gross_margin_claimed_pct',
    operatingCosts: [
      { id: 'wages', label: L('工资', 'wages'), ref: 'wages_total_monthly' },
      { id: 'rent', label: L('租金', 'rent'), ref: 'rent_monthly' },
      { id: 'electricity', label: L('电费', 'electricity'), ref: 'electricity_monthly' },
      {
        id: 'other_operating',
        label: L('其他经营费用', 'other operating costs'),
        ref: 'other_operating_monthly',
      },
    ],
    otherIncome: [],
    tax: commonTax,
    other: commonOther,
    fixedAssets: [machinery.group, workshop.group],
    profile: seasonProfile,
  },
};
