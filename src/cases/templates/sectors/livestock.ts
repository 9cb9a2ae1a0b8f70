/**
 * Livestock (养殖). DOMAIN.md: stock on hand, heads sold per cycle, cycle length, weights, feed per head, feed
 * conversion, mortality, young stock cost, vet cost, price, pen capacity. Pigs: ~145-day cycle to ~110 kg,
 * ~275 kg feed per head.
 */
import {
  L,
  add,
  choice,
  count,
  div,
  frac,
  impossible,
  k,
  lte,
  money,
  monthOfYear,
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
  statedRoute,
} from '../common.js';
import type { SurveyTemplate } from '../schema.js';

const pens = fixedAssetGroup('pens', '圈舍', 'Pens and sheds');
const equipment = fixedAssetGroup('equipment', '饲喂环控设备', 'Feeding and climate equipment');
const kgUnits = ['斤', '公斤'];

export const livestockTemplate: SurveyTemplate = {
  id: 'ipc_livestock',
  version: 1,
  sector: 'livestock',
  title: L('养殖 调查表', 'Livestock survey'),
  sections: [
    profileSection(),
    {
      id: 'herd',
      title: L('存栏与出栏', 'Herd and sales'),
      questions: [
        choice(
          'species',
          '养殖品种',
          'Species',
          [
            ['pig', '生猪', 'pigs'],
            ['cattle', '肉牛', 'beef cattle'],
            ['sheep', '羊', 'sheep'],
            ['poultry', '禽类', 'poultry'],
            ['other', '其他', 'other'],
          ],
          { required: true },
        ),
        count('stock_on_hand', '当前存栏', 'Head in stock now', '头', { required: true, max: 1_000_000 }),
        count('pen_capacity', '圈舍容量', 'Pen capacity', '头', { max: 1_000_000 }),
        count('heads_sold_per_cycle', '每批出栏头数', 'Head sold per cycle', '头', {
          required: true,
          max: 1_000_000,
        }),
        num('cycle_days', '养殖周期', 'Cycle length', '天', { min: 1, max: 1_500, required: true }),
        monthOfYear('first_sale_month', '下一批出栏月份', 'Month of the next sale', { required: true }),
        num('sale_weight_kg', '出栏体重', 'Weight at sale', 'kg', {
          min: 0,
          max: 2_000,
          allowedUnits: kgUnits,
          required: true,
        }),
        money('price_per_kg', '出栏每公斤价格', 'Price per kg live weight', { required: true }),
        num('avg_current_weight_kg', '存栏平均体重', 'Average weight of the stock now', 'kg', {
          min: 0,
          max: 2_000,
          allowedUnits: kgUnits,
        }),
        num('feed_per_head_kg', '每头全程饲料用量', 'Feed per head over the cycle', 'kg', {
          min: 0,
          max: 20_000,
          allowedUnits: [...kgUnits, '吨'],
          required: true,
        }),
        money('feed_price_per_kg', '饲料每公斤价格', 'Feed price per kg', { required: true }),
        num('feed_conversion_ratio', '料肉比', 'Feed conversion ratio', '倍', { min: 0.5, max: 15 }),
        money('young_stock_cost_per_head', '每头仔畜/苗成本', 'Young stock cost per head', {
          required: true,
        }),
        money('vet_cost_per_head', '每头防疫兽药费', 'Vet and vaccine cost per head'),
        pct('mortality_pct', '死亡率', 'Mortality'),
        money('feed_purchases_monthly', '月均饲料采购额', 'Feed bought per month'),
        money(
          'young_stock_purchases_annual',
          '近12个月仔畜采购额',
          'Young stock bought in the last 12 months',
        ),
        money('vet_purchases_annual', '近12个月兽药疫苗采购额', 'Vet supplies bought in the last 12 months'),
        money('sold_to_buyer_last_12m', '近12个月收购方付款合计', 'Paid by buyers in the last 12 months'),
        text('buyer_name', '主要收购方（屠宰场、经纪人）', 'Main buyer (abattoir, dealer)', 100),
      ],
    },
    {
      id: 'costs',
      title: L('经营费用（月）', 'Operating costs (per month)'),
      questions: [
        money('wages_monthly', '雇工工资', 'Wages of hired staff'),
        money('utilities_monthly', '水电费', 'Water and electricity'),
        money(
          'other_operating_monthly',
          '其他经营费用（粪污处理、运输）',
          'Other operating costs (manure, transport)',
        ),
        ...commonCostQuestions(),
      ],
    },
    inflowSection(),
    assetSection(
      [money('feed_in_stock', '库存饲料', 'Feed in stock', { ledger: 'asset.inventory' })],
      [...pens.questions, ...equipment.questions],
    ),
    liabilitySection(),
    householdSection(),
    historySection(),
    claimsSection(),
  ],
  computed: [
    {
      id: 'cycles_per_year',
      label: L('年出栏批次', 'Cycles per year'),
      type: 'number',
      unit: '批',
      expr: div(k(365), ref('cycle_days')),
    },
    {
      id: 'price_per_head',
      label: L('每头售价', 'Price per head'),
      type: 'money',
      expr: mul(ref('sale_weight_kg'), ref('price_per_kg')),
    },
    {
      id: 'cost_per_head_sold',
      label: L('每出栏头直接成本（含死亡损失）', 'Direct cost per head sold (mortality included)'),
      type: 'money',
      // (young stock + feed + vet) ÷ (1 − mortality): the dead are paid for by the survivors
      expr: div(
        add(
          ref('young_stock_cost_per_head'),
          mul(ref('feed_per_head_kg'), ref('feed_price_per_kg')),
          ref('vet_cost_per_head', 0),
        ),
        sub(k(1), frac(ref('mortality_pct', 0))),
      ),
    },
    {
      id: 'revenue_annual',
      label: L('年销售收入', 'Annual revenue'),
      type: 'money',
      expr: mul(ref('heads_sold_per_cycle'), ref('cycles_per_year'), ref('price_per_head')),
    },
    {
      id: 'sales_monthly_by_production',
      label: L('按出栏推算月均销售额', 'Average monthly sales from head sold'),
      type: 'money',
      expr: div(ref('revenue_annual'), k(12)),
    },
    {
      id: 'purchases_monthly',
      label: L('月均饲料仔畜兽药采购', 'Average monthly feed, young stock and vet purchases'),
      type: 'money',
      expr: add(
        ref('feed_purchases_monthly'),
        div(ref('young_stock_purchases_annual', 0), k(12)),
        div(ref('vet_purchases_annual', 0), k(12)),
      ),
    },
    {
      id: 'sales_monthly_by_buyer',
      label: L('按收购方付款推算月均销售额', 'Average monthly sales from buyer payments'),
      type: 'money',
      expr: div(ref('sold_to_buyer_last_12m'), k(12)),
    },
    {
      id: 'livestock_value',
      label: L('存栏价值（存栏×均重×价格）', 'Value of the stock (head × weight × price)'),
      type: 'money',
      expr: mul(ref('stock_on_hand'), ref('avg_current_weight_kg'), ref('price_per_kg')),
      ledger: 'asset.inventory',
    },
    inflowComputed(),
  ],
  constraints: [
    impossible(
      'stock_within_capacity',
      'stock_on_hand',
      lte(ref('stock_on_hand'), ref('pen_capacity')),
      '存栏超过圈舍容量',
      'stock exceeds pen capacity',
    ),
    impossible(
      'sold_within_capacity',
      'heads_sold_per_cycle',
      lte(ref('heads_sold_per_cycle'), ref('pen_capacity')),
      '每批出栏超过圈舍容量',
      'head sold per cycle exceed pen capacity',
    ),
    impossible(
      'current_weight_below_sale_weight',
      'avg_current_weight_kg',
      lte(ref('avg_current_weight_kg'), ref('sale_weight_kg')),
      '存栏均重高于出栏体重',
      'the stock weighs more than at sale',
    ),
  ],
  financials: {
    primaryRoute: 'production',
    routes: [
      {
        id: 'production',
        label: L('出栏头数×体重×价格', 'head sold × weight × price'),
        kind: 'revenue',
        ref: 'sales_monthly_by_production',
      },
      {
        id: 'buyer',
        label: L('收购方付款', 'buyer payments'),
        kind: 'revenue',
        ref: 'sales_monthly_by_buyer',
      },
      {
        id: 'purchases',
        label: L('采购额÷(1−毛利率)', 'purchases ÷ (1 − margin)'),
        kind: 'purchases',
        ref: 'purchases_monthly',
      },
      inflowRoute,
      statedRoute,
    ],
    productLines: [
      {
        id: 'livestock',
        label: L('出栏牲畜', 'animals sold'),
        revenueRef: 'revenue_annual',
        unitCostRef: 'cost_per_head_sold',
        unitPriceRef: 'price_per_head',
      },
    ],
    claimedMarginRef: 'gross_margin_claimed_pct',
    operatingCosts: [
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
    fixedAssets: [pens.group, equipment.group],
    profile: { kind: 'cycles', cycleDaysRef: 'cycle_days', firstSaleMonthRef: 'first_sale_month' },
  },
};
