/**
 * Grocery / small retail (商超、小卖部). What the officer asks follows DOMAIN.md: takings on a normal and a peak
 * day, floor area, stock by category, purchase frequency and amount, the tobacco/liquor share, rent, family labour.
 */
import { L, add, count, impossible, lte, money, mul, num, ref, sub } from '../build.js';
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
  pricedLine('tobacco', '烟草', 'tobacco', '一条', 'a carton'),
  pricedLine('liquor', '酒类', 'liquor', '一瓶', 'a bottle'),
  pricedLine('grain_oil', '粮油', 'grain and oil', '一桶/袋', 'a can or sack'),
  pricedLine('drinks', '饮料', 'drinks', '一瓶', 'a bottle'),
  pricedLine('general', '日杂百货', 'general goods', '一件', 'an item'),
];
const fittings = fixedAssetGroup('fittings', '货架冰柜等设备', 'Shelves, freezers, till');
const vehicle = fixedAssetGroup('vehicle', '进货车辆', 'Delivery vehicle');

export const groceryTemplate: SurveyTemplate = {
  id: 'ipc_grocery',
  version: 1,
  sector: 'grocery',
  title: L('商超/小卖部 调查表', 'Grocery and small retail survey'),
  sections: [
    profileSection(),
    {
      id: 'sales',
      title: L('销售', 'Sales'),
      questions: [
        money('takings_normal_day', '平常一天营业额', 'Takings on a normal day', { required: true }),
        money('takings_peak_day', '赶集日/周末一天营业额', 'Takings on a market day or weekend'),
        num('trading_days_per_month', '每月营业天数', 'Trading days per month', '天', {
          min: 1,
          max: 31,
          integer: true,
          required: true,
        }),
        count('peak_days_per_month', '每月赶集日/旺日天数', 'Market or peak days per month', '天', {
          max: 31,
        }),
        ...seasonQuestions(),
        num('floor_area', '营业面积', 'Floor area', '平方米', { min: 1, max: 5000 }),
        money('purchase_amount_per_time', '每次进货金额', 'Amount per purchase'),
        num('purchase_times_per_month', '每月进货次数', 'Purchases per month', '次', { min: 0, max: 62 }),
        ...lines.flatMap((l) => l.questions),
      ],
    },
    {
      id: 'costs',
      title: L('经营费用（月）', 'Operating costs (per month)'),
      questions: [
        money('rent_monthly', '月租金', 'Rent'),
        money('wages_monthly', '雇工工资', 'Wages of hired staff'),
        money('utilities_monthly', '水电费', 'Water and electricity'),
        money(
          'other_operating_monthly',
          '其他经营费用（运费、损耗等）',
          'Other operating costs (transport, losses)',
        ),
        ...commonCostQuestions(),
      ],
    },
    inflowSection(),
    assetSection(
      [
        money('inventory_tobacco', '库存：烟草', 'Stock: tobacco', { ledger: 'asset.inventory' }),
        money('inventory_liquor', '库存：酒类', 'Stock: liquor', { ledger: 'asset.inventory' }),
        money('inventory_grain_oil', '库存：粮油', 'Stock: grain and oil', { ledger: 'asset.inventory' }),
        money('inventory_drinks', '库存：饮料', 'Stock: drinks', { ledger: 'asset.inventory' }),
        money('inventory_general', '库存：日杂百货', 'Stock: general goods', { ledger: 'asset.inventory' }),
      ],
      [...fittings.questions, ...vehicle.questions],
    ),
    liabilitySection(),
    householdSection(),
    historySection(),
    claimsSection(),
  ],
  computed: [
    {
      id: 'base_month_takings',
      label: L('平常月营业额', 'Takings in a normal month'),
      type: 'money',
      // normal-day takings × ordinary days + peak-day takings × peak days
      expr: add(
        mul(ref('takings_normal_day'), sub(ref('trading_days_per_month'), ref('peak_days_per_month', 0))),
        mul(ref('takings_peak_day', 0), ref('peak_days_per_month', 0)),
      ),
    },
    seasonFactor(),
    {
      id: 'sales_monthly_by_takings',
      label: L('按营业额推算月均销售额', 'Average monthly sales from daily takings'),
      type: 'money',
      expr: mul(ref('base_month_takings'), ref('season_factor')),
    },
    {
      id: 'purchases_monthly',
      label: L('月均进货额', 'Average monthly purchases'),
      type: 'money',
      expr: mul(ref('purchase_amount_per_time'), ref('purchase_times_per_month'), ref('season_factor')),
    },
    inflowComputed(),
  ],
  constraints: [
    impossible(
      'peak_days_within_trading_days',
      'peak_days_per_month',
      lte(ref('peak_days_per_month'), ref('trading_days_per_month')),
      '旺日天数不能多于营业天数',
      'peak days cannot exceed trading days',
    ),
    sharesAddUp(
      lines.map((l) => l.line.shareRef as string),
      'tobacco_share_pct',
    ),
    ...lines.map((l) => l.constraint),
  ],
  financials: {
    primaryRoute: 'takings',
    routes: [
      {
        id: 'takings',
        label: L('日营业额×营业天数', 'daily takings × trading days'),
        kind: 'revenue',
        ref: 'sales_monthly_by_takings',
      },
      {
        id: 'purchases',
        label: L('进货额÷(1−毛利率)', 'purchases ÷ (1 − margin)'),
        kind: 'purchases',
        ref: 'purchases_monthly',
      },
      inflowRoute,
      statedRoute,
    ],
    productLines: lines.map((l) => l.line),
    claimedMarginRef: 'gross_margin_claimed_pct',
    operatingCosts: [
      { id: 'rent', label: L('租金', 'rent'), ref: 'rent_monthly' },
      { id: 'wages', label: L('工资', 'wages'), ref: 'wages_monthly' },
      { id: 'utilities', label: L('水电', 'utilities'), ref: 'utilities_monthly' },
      {
        id: 'other_operating',
        label: L('其他经营费用', 'other operating costs'),
        ref: 'other_operating_monthly',
      },
    ],
    otherIncome: [],
    tax: commonTax,
    other: commonOther,
    fixedAssets: [fittings.group, vehicle.group],
    profile: seasonProfile,
  },
};
