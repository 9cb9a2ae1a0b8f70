/**
 * Small synthetic question banks, one per sector, for tests and benchmarks until the bank generator
 * (src/questions) is there. They follow src/questions/types.ts: facts with importance and tolerance, and direct,
 * indirect and control questions whose `toFact.scale` converts the answer into the fact's unit.
 *
 * Figures are the sector benchmarks of DOMAIN.md where it gives them (grocery margin ~25%, 30 trading days,
 * pigs ~275 kg feed per head, freight ~0.5 CNY per tonne-km) and round plausible values elsewhere.
 */
import type { Rng } from '../../platform/deps.js';
import type { SessionRecord } from '../session/types.js';
import type {
  AnswerType,
  BankQuestion,
  Expectation,
  FactDef,
  QuestionBank,
  QuestionKind,
  Sector,
  Tolerance,
} from '../../questions/types.js';

interface QSpec {
  kind: QuestionKind;
  zh: string;
  en: string;
  /** Answer unit → fact unit. */
  scale?: number;
  unit?: string;
  answerType?: AnswerType;
}

interface FactSpec {
  id: string;
  zh: string;
  en: string;
  answerType: AnswerType;
  unit?: string;
  importance: number;
  /** Expected value in the fact's unit, before the case's size factor (booleans and choices are not scaled). */
  expected: number | boolean | string;
  choices?: { id: string; zh: string; en: string }[];
  /** Money and stock scale with the size of the business; counts and prices do not. */
  scalesWithSize: boolean;
  priorDoubt: number;
  questions: QSpec[];
}

const MONEY: Tolerance = { warn: 0.15, fail: 0.3 };
const COUNT: Tolerance = { warn: 0.2, fail: 0.4 };
const CONTROL: Tolerance = { warn: 0.15, fail: 0.35 };
/** Indirect questions convert through rough factors (trading days, margins): their band is a little wider. */
const INDIRECT_WIDENING = 0.05;

const otherLenders = (zhHint: string, enHint: string): FactSpec => ({
  id: 'debt.other_lenders',
  zh: '他行或贷款公司借款',
  en: 'loans at other lenders',
  answerType: 'yes_no',
  importance: 0.6,
  expected: false,
  scalesWithSize: false,
  priorDoubt: 0.3,
  questions: [
    {
      kind: 'direct',
      zh: '您在别的银行或者贷款公司还有没还完的贷款吗？',
      en: 'Do you have unpaid loans at other banks or lenders?',
    },
    { kind: 'indirect', zh: zhHint, en: enHint },
  ],
});

const household: FactSpec = {
  id: 'household.size',
  zh: '家庭人口',
  en: 'household size',
  answerType: 'count',
  unit: '人',
  importance: 0.3,
  expected: 4,
  scalesWithSize: false,
  priorDoubt: 0.1,
  questions: [
    { kind: 'direct', zh: '家里一共几口人一起生活？', en: 'How many people live in your household?' },
  ],
};

const householdSpending: FactSpec = {
  id: 'household.spending',
  zh: '家庭月支出',
  en: 'monthly household spending',
  answerType: 'money',
  unit: '元',
  importance: 0.4,
  expected: 4000,
  scalesWithSize: false,
  priorDoubt: 0.25,
  questions: [
    { kind: 'direct', zh: '家里一个月生活开销大概多少？', en: 'What does the household spend a month?' },
    {
      kind: 'indirect',
      zh: '家里一个月买菜吃饭花多少钱？',
      en: 'What does the household spend on food a month?',
      scale: 1 / 0.4,
    },
  ],
};

const PURPOSES = [
  { id: 'stock', zh: '进货', en: 'stock' },
  { id: 'inputs', zh: '买农资/饲料', en: 'farm inputs' },
  { id: 'equipment', zh: '买设备/车辆', en: 'equipment or vehicles' },
  { id: 'other', zh: '其他', en: 'other' },
];

const loanPurpose = (expected: string): FactSpec => ({
  id: 'loan.purpose',
  zh: '贷款用途',
  en: 'loan purpose',
  answerType: 'choice',
  importance: 0.5,
  expected,
  choices: PURPOSES,
  scalesWithSize: false,
  priorDoubt: 0.2,
  questions: [
    { kind: 'direct', zh: '这笔贷款主要打算用在哪里？', en: 'What is the loan mainly for?' },
    {
      kind: 'indirect',
      zh: '钱到账以后，第一笔打算付给谁？',
      en: 'Who will you pay first when the money arrives?',
    },
  ],
});

/** A third, independent route to sales (DOMAIN.md: account inflows); about 60% of takings arrive by QR code. */
const paymentsQuestion: QSpec = {
  kind: 'indirect',
  zh: '微信、支付宝一个月大概进账多少？',
  en: 'What comes in through WeChat Pay and Alipay in a month?',
  scale: 1 / 0.6,
};

const interestQuestion: QSpec = {
  kind: 'indirect',
  zh: '现在每个月光利息要付多少？',
  en: 'How much interest do you pay a month?',
  scale: 1 / 0.006,
};

const control = (
  id: string,
  zh: string,
  en: string,
  unit: string,
  expected: number,
  q: [string, string],
): FactSpec => ({
  id,
  zh,
  en,
  answerType: 'money',
  unit,
  importance: 0,
  expected,
  scalesWithSize: false,
  priorDoubt: 0.1,
  questions: [{ kind: 'control', zh: q[0], en: q[1] }],
});

const COMMON: Record<Sector, FactSpec[]> = {
  grocery: [
    householdSpending,
    loanPurpose('stock'),
    control('control.cola_price', '可乐零售价', 'price of a cola', '元', 3, [
      '一瓶500毫升的可乐卖多少钱？',
      'What does a 500 ml cola sell for?',
    ]),
  ],
  restaurant: [
    householdSpending,
    loanPurpose('stock'),
    control('control.pork_price', '猪肉价格', 'price of pork', '元/斤', 14, [
      '现在一斤猪肉多少钱？',
      'What does a jin of pork cost now?',
    ]),
  ],
  crops: [
    householdSpending,
    loanPurpose('inputs'),
    control('control.corn_price', '玉米收购价', 'corn price', '元/斤', 1.1, [
      '玉米现在一斤收购价多少？',
      'What is corn bought at per jin now?',
    ]),
  ],
  livestock: [
    householdSpending,
    loanPurpose('inputs'),
    control('control.hog_price', '生猪价格', 'hog price', '元/斤', 7.5, [
      '生猪现在一斤多少钱？',
      'What does a live hog fetch per jin now?',
    ]),
  ],
  transport: [
    householdSpending,
    loanPurpose('equipment'),
    control('control.toll_rate', '货车过路费', 'truck toll', '元/公里', 1.6, [
      '货车走高速一公里大概收多少过路费？',
      'What is the motorway toll per km for a truck?',
    ]),
  ],
  processing: [
    householdSpending,
    loanPurpose('equipment'),
    control('control.daily_wage', '普工日工资', 'daily wage', '元/天', 180, [
      '普通工人一天工资多少？',
      'What is a worker’s daily wage?',
    ]),
  ],
};

const SPECS: Record<Sector, FactSpec[]> = {
  grocery: [
    {
      id: 'sales.monthly',
      zh: '月销售额',
      en: 'monthly sales',
      answerType: 'money',
      unit: '元',
      importance: 0.9,
      expected: 60000,
      scalesWithSize: true,
      priorDoubt: 0.45,
      questions: [
        { kind: 'direct', zh: '店里一个月的营业额大概多少？', en: 'What are the shop’s sales in a month?' },
        {
          kind: 'indirect',
          zh: '平常一天能卖多少钱？',
          en: 'How much do you take on a normal day?',
          scale: 30,
        },
        {
          kind: 'indirect',
          zh: '一个月进货大概花多少钱？',
          en: 'How much do you spend on stock a month?',
          scale: 1 / 0.75,
        },
        paymentsQuestion,
      ],
    },
    {
      id: 'debt.total',
      zh: '负债总额',
      en: 'total debt',
      answerType: 'money',
      unit: '元',
      importance: 0.8,
      expected: 50000,
      scalesWithSize: true,
      priorDoubt: 0.4,
      questions: [
        { kind: 'direct', zh: '现在一共还欠多少借款？', en: 'How much do you owe in all?' },
        {
          kind: 'indirect',
          zh: '每个月要还多少钱的本息？',
          en: 'How much do you repay each month?',
          scale: 12,
        },
        interestQuestion,
      ],
    },
    otherLenders('供货商那里有没有欠着的货款要按月还？', 'Do you owe suppliers money you repay monthly?'),
    {
      id: 'inventory.value',
      zh: '存货价值',
      en: 'stock value',
      answerType: 'money',
      unit: '元',
      importance: 0.6,
      expected: 80000,
      scalesWithSize: true,
      priorDoubt: 0.3,
      questions: [
        { kind: 'direct', zh: '店里现在的货一共值多少钱？', en: 'What is the stock in the shop worth?' },
        {
          kind: 'indirect',
          zh: '烟酒柜里的货值多少钱？',
          en: 'What is the tobacco and liquor stock worth?',
          scale: 2.5,
        },
        {
          kind: 'indirect',
          zh: '一次进货一般进多少钱的货？',
          en: 'How much stock do you buy at a time?',
          scale: 4,
        },
      ],
    },
    household,
    {
      id: 'shop.area',
      zh: '店面面积',
      en: 'floor area',
      answerType: 'quantity',
      unit: '平方米',
      importance: 0.3,
      expected: 80,
      scalesWithSize: true,
      priorDoubt: 0.15,
      questions: [{ kind: 'direct', zh: '店面有多少平方？', en: 'How large is the shop, in square metres?' }],
    },
    {
      id: 'control.water_case',
      zh: '一箱矿泉水进价',
      en: 'cost of a case of water',
      answerType: 'money',
      unit: '元',
      importance: 0,
      expected: 20,
      scalesWithSize: false,
      priorDoubt: 0.1,
      questions: [
        {
          kind: 'control',
          zh: '一箱24瓶的矿泉水进价多少？',
          en: 'What does a case of 24 bottles of water cost you?',
        },
      ],
    },
  ],
  restaurant: [
    {
      id: 'sales.monthly',
      zh: '月营业额',
      en: 'monthly sales',
      answerType: 'money',
      unit: '元',
      importance: 0.9,
      expected: 90000,
      scalesWithSize: true,
      priorDoubt: 0.45,
      questions: [
        {
          kind: 'direct',
          zh: '饭店一个月的营业额大概多少？',
          en: 'What are the restaurant’s sales in a month?',
        },
        {
          kind: 'indirect',
          zh: '平常一天的流水有多少？',
          en: 'What do you take on a normal day?',
          scale: 30,
        },
        {
          kind: 'indirect',
          zh: '一个月买菜买肉花多少钱？',
          en: 'What do you spend on food a month?',
          scale: 1 / 0.28,
        },
        paymentsQuestion,
      ],
    },
    {
      id: 'debt.total',
      zh: '负债总额',
      en: 'total debt',
      answerType: 'money',
      unit: '元',
      importance: 0.8,
      expected: 60000,
      scalesWithSize: true,
      priorDoubt: 0.35,
      questions: [
        { kind: 'direct', zh: '现在一共还欠多少借款？', en: 'How much do you owe in all?' },
        {
          kind: 'indirect',
          zh: '每个月要还多少钱的本息？',
          en: 'How much do you repay each month?',
          scale: 12,
        },
        interestQuestion,
      ],
    },
    otherLenders(
      '装修或者设备有没有分期还没付完？',
      'Are there instalments for the fit-out or equipment still to pay?',
    ),
    {
      id: 'staff.count',
      zh: '雇员人数',
      en: 'staff',
      answerType: 'count',
      unit: '人',
      importance: 0.4,
      expected: 5,
      scalesWithSize: false,
      priorDoubt: 0.2,
      questions: [
        { kind: 'direct', zh: '店里请了几个人？', en: 'How many people do you employ?' },
        {
          kind: 'indirect',
          zh: '每个月发工资一共多少钱？',
          en: 'What is the monthly payroll?',
          scale: 1 / 4000,
        },
      ],
    },
    household,
    {
      id: 'control.rice_bag',
      zh: '一袋大米价格',
      en: 'price of a bag of rice',
      answerType: 'money',
      unit: '元',
      importance: 0,
      expected: 120,
      scalesWithSize: false,
      priorDoubt: 0.1,
      questions: [
        { kind: 'control', zh: '一袋50斤的大米现在多少钱？', en: 'What does a 25 kg bag of rice cost now?' },
      ],
    },
  ],
  crops: [
    {
      id: 'land.mu',
      zh: '种植面积',
      en: 'land farmed',
      answerType: 'quantity',
      unit: '亩',
      importance: 0.7,
      expected: 60,
      scalesWithSize: true,
      priorDoubt: 0.3,
      questions: [
        { kind: 'direct', zh: '今年一共种了多少亩地？', en: 'How many mu do you farm this year?' },
        {
          kind: 'indirect',
          zh: '租地一年付多少租金？',
          en: 'How much land rent do you pay a year?',
          scale: 1 / 300,
        },
      ],
    },
    {
      id: 'sales.annual',
      zh: '年销售收入',
      en: 'annual sales',
      answerType: 'money',
      unit: '元',
      importance: 0.9,
      expected: 90000,
      scalesWithSize: true,
      priorDoubt: 0.45,
      questions: [
        { kind: 'direct', zh: '去年卖粮一共收入多少？', en: 'What did you earn from grain last year?' },
        {
          kind: 'indirect',
          zh: '去年一共卖了多少斤粮？',
          en: 'How many jin of grain did you sell last year?',
          scale: 1.3,
        },
        paymentsQuestion,
      ],
    },
    {
      id: 'debt.total',
      zh: '负债总额',
      en: 'total debt',
      answerType: 'money',
      unit: '元',
      importance: 0.8,
      expected: 40000,
      scalesWithSize: true,
      priorDoubt: 0.4,
      questions: [
        { kind: 'direct', zh: '现在一共还欠多少借款？', en: 'How much do you owe in all?' },
        {
          kind: 'indirect',
          zh: '种子化肥是赊的吗？赊了多少？',
          en: 'How much seed and fertiliser did you buy on credit?',
          scale: 2,
        },
        interestQuestion,
      ],
    },
    otherLenders('农资店那里有没有欠账？', 'Do you owe the farm-supply shop?'),
    household,
    {
      id: 'control.urea_bag',
      zh: '一袋尿素价格',
      en: 'price of a bag of urea',
      answerType: 'money',
      unit: '元',
      importance: 0,
      expected: 110,
      scalesWithSize: false,
      priorDoubt: 0.1,
      questions: [
        {
          kind: 'control',
          zh: '一袋尿素（100斤）现在多少钱？',
          en: 'What does a 50 kg bag of urea cost now?',
        },
      ],
    },
  ],
  livestock: [
    {
      id: 'stock.head',
      zh: '存栏头数',
      en: 'head on hand',
      answerType: 'quantity',
      unit: '头',
      importance: 0.8,
      expected: 300,
      scalesWithSize: true,
      priorDoubt: 0.4,
      questions: [
        { kind: 'direct', zh: '现在圈里有多少头猪？', en: 'How many pigs are in the pens now?' },
        {
          kind: 'indirect',
          zh: '一个月要喂多少吨饲料？',
          en: 'How many tonnes of feed do you use a month?',
          scale: 1000 / 57,
        },
        { kind: 'indirect', zh: '圈舍一共能装多少头？', en: 'How many head can the pens hold?', scale: 0.8 },
      ],
    },
    {
      id: 'sales.annual',
      zh: '年销售收入',
      en: 'annual sales',
      answerType: 'money',
      unit: '元',
      importance: 0.9,
      expected: 1_200_000,
      scalesWithSize: true,
      priorDoubt: 0.45,
      questions: [
        { kind: 'direct', zh: '去年卖猪一共收入多少？', en: 'What did you earn from pigs last year?' },
        {
          kind: 'indirect',
          zh: '去年一共出栏多少头？',
          en: 'How many pigs did you sell last year?',
          scale: 2000,
        },
        paymentsQuestion,
      ],
    },
    {
      id: 'debt.total',
      zh: '负债总额',
      en: 'total debt',
      answerType: 'money',
      unit: '元',
      importance: 0.8,
      expected: 200_000,
      scalesWithSize: true,
      priorDoubt: 0.4,
      questions: [
        { kind: 'direct', zh: '现在一共还欠多少借款？', en: 'How much do you owe in all?' },
        {
          kind: 'indirect',
          zh: '饲料款欠了饲料厂多少？',
          en: 'How much do you owe the feed mill?',
          scale: 2.5,
        },
        interestQuestion,
      ],
    },
    otherLenders('猪苗或者饲料有没有赊账按月还？', 'Do you repay piglets or feed on credit monthly?'),
    household,
    {
      id: 'control.feed_bag',
      zh: '一包饲料价格',
      en: 'price of a bag of feed',
      answerType: 'money',
      unit: '元',
      importance: 0,
      expected: 160,
      scalesWithSize: false,
      priorDoubt: 0.1,
      questions: [
        {
          kind: 'control',
          zh: '一包80斤的育肥猪饲料多少钱？',
          en: 'What does a 40 kg bag of finishing feed cost?',
        },
      ],
    },
  ],
  transport: [
    {
      id: 'sales.monthly',
      zh: '月运费收入',
      en: 'monthly freight revenue',
      answerType: 'money',
      unit: '元',
      importance: 0.9,
      expected: 40000,
      scalesWithSize: true,
      priorDoubt: 0.45,
      questions: [
        { kind: 'direct', zh: '车一个月能挣多少运费？', en: 'What freight do you earn a month?' },
        { kind: 'indirect', zh: '一个月跑多少趟？', en: 'How many trips a month?', scale: 2000 },
        {
          kind: 'indirect',
          zh: '一个月加油花多少钱？',
          en: 'What do you spend on fuel a month?',
          scale: 1 / 0.35,
        },
        paymentsQuestion,
      ],
    },
    {
      id: 'vehicles.count',
      zh: '车辆数',
      en: 'vehicles',
      answerType: 'count',
      unit: '辆',
      importance: 0.5,
      expected: 2,
      scalesWithSize: false,
      priorDoubt: 0.2,
      questions: [{ kind: 'direct', zh: '您名下一共有几辆车？', en: 'How many vehicles do you own?' }],
    },
    {
      id: 'debt.total',
      zh: '负债总额',
      en: 'total debt',
      answerType: 'money',
      unit: '元',
      importance: 0.8,
      expected: 150_000,
      scalesWithSize: true,
      priorDoubt: 0.4,
      questions: [
        { kind: 'direct', zh: '现在一共还欠多少借款？', en: 'How much do you owe in all?' },
        {
          kind: 'indirect',
          zh: '车贷每个月还多少？',
          en: 'What is the monthly vehicle loan payment?',
          scale: 30,
        },
        interestQuestion,
      ],
    },
    otherLenders(
      '车是挂靠的还是分期买的？分期还没还完吗？',
      'Is any vehicle on instalments not yet paid off?',
    ),
    household,
    {
      id: 'control.diesel',
      zh: '柴油价格',
      en: 'diesel price',
      answerType: 'money',
      unit: '元/升',
      importance: 0,
      expected: 7.5,
      scalesWithSize: false,
      priorDoubt: 0.1,
      questions: [{ kind: 'control', zh: '现在柴油一升多少钱？', en: 'What is diesel a litre now?' }],
    },
  ],
  processing: [
    {
      id: 'sales.monthly',
      zh: '月销售额',
      en: 'monthly sales',
      answerType: 'money',
      unit: '元',
      importance: 0.9,
      expected: 150_000,
      scalesWithSize: true,
      priorDoubt: 0.45,
      questions: [
        { kind: 'direct', zh: '厂里一个月的销售额多少？', en: 'What are the workshop’s monthly sales?' },
        {
          kind: 'indirect',
          zh: '一个月电费多少钱？',
          en: 'What is the monthly electricity bill?',
          scale: 50,
        },
        {
          kind: 'indirect',
          zh: '一个月买原料花多少钱？',
          en: 'What do you spend on materials a month?',
          scale: 1 / 0.6,
        },
        paymentsQuestion,
      ],
    },
    {
      id: 'staff.count',
      zh: '工人人数',
      en: 'workers',
      answerType: 'count',
      unit: '人',
      importance: 0.4,
      expected: 8,
      scalesWithSize: false,
      priorDoubt: 0.2,
      questions: [
        { kind: 'direct', zh: '厂里有几个工人？', en: 'How many workers do you have?' },
        {
          kind: 'indirect',
          zh: '每个月工资一共发多少？',
          en: 'What is the monthly payroll?',
          scale: 1 / 4500,
        },
      ],
    },
    {
      id: 'debt.total',
      zh: '负债总额',
      en: 'total debt',
      answerType: 'money',
      unit: '元',
      importance: 0.8,
      expected: 120_000,
      scalesWithSize: true,
      priorDoubt: 0.4,
      questions: [
        { kind: 'direct', zh: '现在一共还欠多少借款？', en: 'How much do you owe in all?' },
        {
          kind: 'indirect',
          zh: '设备还有多少钱没付清？',
          en: 'How much is still owed on equipment?',
          scale: 2,
        },
        interestQuestion,
      ],
    },
    otherLenders('有没有客户预付的货款要退？', 'Do you owe customers advance payments?'),
    household,
    {
      id: 'control.power_price',
      zh: '工业电价',
      en: 'industrial power price',
      answerType: 'money',
      unit: '元/度',
      importance: 0,
      expected: 0.8,
      scalesWithSize: false,
      priorDoubt: 0.1,
      questions: [{ kind: 'control', zh: '你们厂一度电多少钱？', en: 'What do you pay per kWh?' }],
    },
  ],
};

export interface SyntheticBankOptions {
  caseId?: string;
  /** Varies the case: size factor for money and stock, and jitter of the prior doubts. Absent: the plain bank. */
  rng?: Rng;
}

const round2 = (x: number) => Number(x.toPrecision(3));

/** A valid QuestionBank for one sector: facts by descending importance, each fact's questions direct first. */
export function syntheticBank(sector: Sector, options: SyntheticBankOptions = {}): QuestionBank {
  const rng = options.rng;
  const size = rng ? 0.6 + rng.next() : 1;
  const specs = [...SPECS[sector], ...COMMON[sector]].sort((a, b) => b.importance - a.importance);
  const facts: FactDef[] = [];
  const questions: BankQuestion[] = [];
  const priorDoubt: Record<string, number> = {};
  for (const spec of specs) {
    const isControl = spec.questions.every((q) => q.kind === 'control');
    const tol = isControl ? CONTROL : spec.answerType === 'count' ? COUNT : MONEY;
    facts.push({
      id: spec.id,
      label: { 'zh-CN': spec.zh, 'en-US': spec.en },
      answerType: spec.answerType,
      unit: spec.unit,
      importance: spec.importance,
      tolerance: tol,
      source: isControl ? { kind: 'none' } : { kind: 'survey', field: spec.id },
      sectors: [sector],
      choices: spec.choices?.map((c) => c.id),
    });
    const jitter = rng ? (rng.next() - 0.5) * 0.2 : 0;
    priorDoubt[spec.id] = Math.min(0.9, Math.max(0.02, spec.priorDoubt + jitter));
    const factValue =
      typeof spec.expected === 'number'
        ? spec.scalesWithSize
          ? spec.expected * size
          : spec.expected
        : spec.expected;
    spec.questions.forEach((qs, i) => {
      const scale = qs.scale ?? 1;
      const qTol =
        qs.kind === 'indirect'
          ? { warn: tol.warn + INDIRECT_WIDENING, fail: tol.fail + INDIRECT_WIDENING }
          : tol;
      const expected: Expectation =
        typeof factValue === 'number'
          ? { kind: 'number', value: round2(factValue / scale), tolerance: qTol }
          : typeof factValue === 'boolean'
            ? { kind: 'boolean', value: factValue }
            : { kind: 'choice', value: factValue };
      const answerType: AnswerType =
        qs.answerType ??
        (typeof factValue === 'number' ? (scale === 1 ? spec.answerType : 'quantity') : spec.answerType);
      questions.push({
        id: `${spec.id}.${qs.kind}.${i}`,
        factIds: [spec.id],
        kind: qs.kind,
        templateId: `sim.${sector}.${spec.id}.${i}`,
        text: { 'zh-CN': qs.zh, 'en-US': qs.en },
        rephrase: { 'zh-CN': `换个问法：${qs.zh}`, 'en-US': `In other words: ${qs.en}` },
        followUp: {
          'zh-CN': `不好意思，想再跟您确认一下：${qs.zh}`,
          'en-US': `Sorry, may I check once more: ${qs.en}`,
        },
        answerType,
        unit: qs.unit ?? (scale === 1 ? spec.unit : undefined),
        choices: spec.choices?.map((c) => ({ id: c.id, label: { 'zh-CN': c.zh, 'en-US': c.en } })),
        toFact: scale === 1 ? undefined : { scale },
        expected,
        weight: spec.importance * priorDoubt[spec.id]!,
        reason: {
          'zh-CN': `核实${spec.zh}（${qs.kind === 'direct' ? '直接' : qs.kind === 'indirect' ? '间接' : '对照'}）`,
          'en-US': `verifies ${spec.en} (${qs.kind})`,
        },
      });
    });
  }
  return {
    caseId: options.caseId ?? `sim-${sector}`,
    catalogueVersion: 'sim-1',
    generatedFor: { sector },
    facts,
    priorDoubt,
    questions,
  };
}

/** A session record as a new interview's, for tests and benchmarks that drive the turn functions directly. */
export function newSessionRecord(
  id: string,
  invitationId: string,
  at: Date,
  overrides: Partial<SessionRecord> = {},
): SessionRecord {
  return {
    id,
    caseId: 'case-1',
    invitationId,
    branchPath: '/a/',
    lang: 'zh-CN',
    seed: 42,
    status: 'in_progress',
    budget: 12,
    createdAt: at,
    lastActivityAt: at,
    endedAt: null,
    endReason: null,
    lastSeq: 0,
    ...overrides,
  };
}
