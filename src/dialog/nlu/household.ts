/**
 * "How many people are in your household?" answered by naming them: 我和老婆两个孩子 is four, 两口子带一个娃 three,
 * 我、我妈，还有俩孩子 four. Read only when the reply names at least two kinds of member and gives no total of its
 * own (四口人, 一家五口, 就我们两个): a total said outright is read as a figure, as any other. Pure; no I/O.
 */

const SMALL: Record<string, number> = {
  一: 1,
  两: 2,
  俩: 2,
  二: 2,
  三: 3,
  仨: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};
const N = '(\\d{1,2}|[一两俩二三仨四五六七八九十])';
const smallNumber = (s: string | undefined) =>
  s === undefined || s === '' ? 1 : /^\d+$/.test(s) ? Number(s) : (SMALL[s] ?? 1);

/** A total of its own: N口(人), 一家N口, N个人, 就(我们)N个 — a count not followed by a member's name. */
const TOTAL = new RegExp(
  `${N}\\s*(口人|口(?!子)|个人|人)|一家${N}|${N}个(?!\\s*(孩子|娃|小孩|儿子|女儿|闺女|孙子|孙女|宝宝|老人|弟弟|妹妹|哥哥|姐姐))`,
);

/** Kinds of member, each with how many it stands for; compound words first so 爸妈 is not also 爸 and 妈. */
const GROUPS: { re: RegExp; count: (m: RegExpExecArray) => number; kind: string }[] = [
  { re: /两口子|夫妻俩?|我们俩|我俩|咱俩|我们两口/g, count: () => 2, kind: 'couple' },
  { re: /父母|爸妈|爹妈|二老|公婆|岳父母|老两口/g, count: () => 2, kind: 'parents' },
  { re: /一儿一女|一男一女|儿女双全/g, count: () => 2, kind: 'children' },
  {
    re: new RegExp(`${N}?个?(孩子|娃娃|娃|小孩|儿子|女儿|闺女|孙子|孙女|宝宝)`, 'g'),
    count: (m) => smallNumber(m[1]),
    kind: 'children',
  },
  { re: new RegExp(`${N}?个?(弟弟|妹妹|哥哥|姐姐)`, 'g'), count: (m) => smallNumber(m[1]), kind: 'siblings' },
  {
    re: /爸爸|爸|妈妈|妈|父亲|母亲|老爹|老娘|爷爷|奶奶|外公|外婆|姥姥|姥爷|公公|婆婆|岳父|岳母|丈人|丈母娘/g,
    count: () => 1,
    kind: 'parents',
  },
  { re: /老婆|媳妇|爱人|妻子|老公|丈夫|对象/g, count: () => 1, kind: 'spouse' },
  { re: /我|本人|自己/g, count: () => 1, kind: 'self' },
];

const STATED = new RegExp(`一家(?:子)?${N}口|${N}口之家`);

/** 一家五口 / 我们一家三口 / 五口之家: the household's size said as a set phrase (its 一家 is no count of one). */
export function statedHousehold(norm: string): number | undefined {
  const m = STATED.exec(norm);
  return m ? smallNumber(m[1] ?? m[2]) : undefined;
}

/** The household size a reply adds up to by naming its members, or undefined when it does not do that. */
export function countHouseholdMembers(norm: string): number | undefined {
  if (TOTAL.test(norm)) return undefined;
  let rest = norm;
  let total = 0;
  const kinds = new Set<string>();
  let couple = false;
  for (const g of GROUPS) {
    rest = rest.replace(g.re, (...args: unknown[]) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      // A couple already counts the speaker and the spouse; each of them counts once (我妈 names a mother).
      if (couple && (g.kind === 'self' || g.kind === 'spouse')) return ' ';
      if ((g.kind === 'self' || g.kind === 'spouse') && kinds.has(g.kind)) return ' ';
      if (g.kind === 'couple') couple = true;
      total += g.count(m);
      kinds.add(g.kind === 'couple' ? 'spouse' : g.kind);
      return ' ';
    });
  }
  if (couple) kinds.add('self');
  // One kind alone (两个孩子, 我) answers something narrower than the household.
  if (kinds.size < 2 || total < 2 || total > 30) return undefined;
  return total;
}
