/**
 * Restaurant (餐饮). DOMAIN.md: seats, table turns per day, average bill, opening days, food purchases,
 * staff × wage, rent, utilities, delivery share and platform fee.
 */
import { L, add, count, frac, impossible, lte, money, mul, num, pct, ref, sub } from '../build.js';
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
  pricedLine,
  profileSection,
  seasonFactor,
  seasonProfile,
  seasonQuestions,
  sharesAddUp,
  statedRoute,
} from '../common.js';
import type { SurveyTemplate } from '../schema.js';

const lines = [
  pricedLine('mains', '主食菜品', 'main dishes', '一份', 'a portion'),
  pricedLine('sides', '饮料小菜', 'drinks and side dishes', '一份', 'a portion'),
];
const kitchen = fixedAssetGroup('kitchen', '厨房设备', 'Kitchen equipment');
const furnishing = fixedAssetGroup('furnishing', '装修桌椅', 'Fit-out and furniture');

export const restaurantTemplate: SurveyTemplate = {
  id: 'ipc_restaurant',
  version: 1,
  sector: 'restaurant',
  title: L('餐饮 调查表', 'Restaurant survey'),
  sections: [
    profileSection(),
    {
      id: 'sales',
      title: L('销售', 'Sales'),
      questions: [
        count('seats', '座位数', 'Seats', '个', { required: true, max: 1000 }),
        num('table_turns_per_day', '每个座位每天翻台次数', 'Seat turns per day', '次', {
          min: 0,
          max: 12,
          required: true,
        }),
        money('avg_bill_per_customer', '人均消费', 'Average bill per customer', { required: true }),
        num('opening_days_per_month', '每月营业天数', 'Opening days per month', '天', {
          min: 1,
          max: 31,
          integer: true,
          required: true,
        }),
        num('delivery_orders_per_day', '每天外卖单数', 'Delivery orders per day', '单', {
          min: 0,
          max: 2000,
        }),
        money('delivery_avg_order', '外卖客单价', 'Average delivery order'),
        pct('platform_fee_pct', '外卖平台抽成', 'Delivery platform fee', {
          showIf: { op: 'gt', left: ref('delivery_orders_per_day'), right: { const: 0 } },
        }),
        money('takings_normal_day', '平常一天营业额（含外卖）', 'Takings on a normal day (incl. delivery)'),
        money('takings_peak_day', '周末/旺日一天营业额', 'Takings on a weekend or peak day'),
        count('peak_days_per_month', '每月旺日天数', 'Peak days per month', '天', { max: 31 }),
        ...seasonQuestions(),
        money('food_purchases_monthly', '平常月食材采购额', 'Food purchases in a normal month'),
        ...lines.flatMap((l) => l.questions),
      ],
    },
    {
      id: 'costs',
      title: L('经营费用（月）', 'Operating costs (per month)'),
      questions: [
        count('staff_count', '雇员人数', 'Staff', '人', { max: 200 }),
        money('staff_wage_monthly', '人均月工资', 'Wage per staff member'),
        money('rent_monthly', '月租金', 'Rent'),
        money('utilities_monthly', '水电燃气费', 'Water, electricity and gas'),
        money('other_operating_monthly', '其他经营费用', 'Other operating costs'),
        ...commonCostQuestions(),
      ],
    },
    inflowSection(),
    assetSection(
      [
        money('inventory_food', '库存：食材', 'Stock: food', { ledger: 'asset.inventory' }),
        money('inventory_drinks', '库存：酒水饮料', 'Stock: drinks', { ledger: 'asset.inventory' }),
      ],
      [...kitchen.questions, ...furnishing.questions],
    ),
    liabilitySection(),
    householdSection(),
    historySection(),
    claimsSection(),
  ],
  computed: [
    {
      id: 'dine_in_monthly',
      label: L('平常月堂食收入', 'Dine-in sales in a normal month'),
      type: 'money',
      expr: mul(
        ref('seats'),
        ref('table_turns_per_day'),
        ref('avg_bill_per_customer'),
        ref('opening_days_per_month'),
      ),
    },
    {
      id: 'delivery_monthly',
      label: L('平常月外卖收入', 'Delivery sales in a normal month'),
      type: 'money',
      expr: mul(
        ref('delivery_orders_per_day', 0),
        ref('delivery_avg_order', 0),
        ref('opening_days_per_month'),
      ),
    },
    seasonFactor(),
    {
      id: 'sales_monthly_by_seats',
      label: L('按座位翻台推算月均销售额', 'Average monthly sales from seats and turns'),
      type: 'money',
      expr: mul(add(ref('dine_in_monthly'), ref('delivery_monthly')), ref('season_factor')),
    },
    {
      id: 'sales_monthly_by_takings',
      label: L('按日营业额推算月均销售额', 'Average monthly sales from daily takings'),
      type: 'money',
      expr: mul(
        add(
          mul(ref('takings_normal_day'), sub(ref('opening_days_per_month'), ref('peak_days_per_month', 0))),
          mul(ref('takings_peak_day', 0), ref('peak_days_per_month', 0)),
        ),
        ref('season_factor'),
      ),
    },
    {
      id: 'purchases_monthly',
      label: L('月均食材采购额', 'Average monthly food purchases'),
      type: 'money',
      expr: mul(ref('food_purchases_monthly'), ref('season_factor')),
    },
    {
      id: 'wages_total_monthly',
      label: L('月工资总额', 'Wage bill per month'),
      type: 'money',
      expr: mul(ref('staff_count', 0), ref('staff_wage_monthly', 0)),
    },
    {
      id: 'platform_fee_monthly',
      label: L('月均平台抽成', 'Platform fees per month'),
      type: 'money',
      expr: mul(ref('delivery_monthly'), ref('season_factor'), frac(ref('platform_fee_pct', 0))),
    },
    inflowComputed(),
  ],
  constraints: [
    impossible(
      'peak_days_within_opening_days',
      'peak_days_per_month',
      lte(ref('peak_days_per_month'), ref('opening_days_per_month')),
      '旺日天数不能多于营业天数',
      'peak days cannot exceed opening days',
    ),
    sharesAddUp(
      lines.map((l) => l.line.shareRef as string),
      'mains_share_pct',
    ),
    ...lines.map((l) => l.constraint),
  ],
  financials: {
    primaryRoute: 'seats',
    routes: [
      {
        id: 'seats',
        label: L('座位×翻台×人均×天数', 'seats × turns × bill × days'),
        kind: 'revenue',
        ref: 'sales_monthly_by_seats',
      },
      {
        id: 'takings',
        label: L('日营业额×营业天数', 'daily takings × days'),
        kind: 'revenue',
        ref: 'sales_monthly_by_takings',
      },
      {
        id: 'purchases',
        label: L('食材采购÷(1−毛利率)', 'food purchases ÷ (1 − margin)'),
        kind: 'purchases',
        ref: 'purchases_monthly',
      },
      inflowRoute,
      statedRoute,
    ],
    productLines: lines.map((l) => l.line),
    claimedMarginRef: 'gross_margin_claimed_pct',
    operatingCosts: [
      { id: 'wages', label: L('工资', 'wages'), ref: 'wages_total_monthly' },
      { id: 'rent', label: L('租金', 'rent'), ref: 'rent_monthly' },
      { id: 'utilities', label: L('水电燃气', 'utilities'), ref: 'utilities_monthly' },
      { id: 'platform_fee', label: L('平台抽成', 'platform fees'), ref: 'platform_fee_monthly' },
      {
        id: 'other_operating',
        label: L('其他经营费用', 'other operating costs'),
        ref: 'other_operating_monthly',
      },
    ],
    otherIncome: [],
    tax: commonTax,
    other: commonOther,
    fixedAssets: [kitchen.group, furnishing.group],
    profile: seasonProfile,
  },
};
