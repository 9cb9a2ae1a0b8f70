/**
 * Template text: slots (`{village}`) and the detection of figures, shared by the catalogue validation
 * (refuse a disclosing template when it is saved) and by generation (a last check on every filled text).
 */

const SLOT = /\{([^{}]*)\}/g;

/** Slots used by the applicant's own earlier answers in follow-ups; filled by the dialog engine at run time. */
export const OWN_ANSWER_SLOT = 'own_answer';
export const EARLIER_ANSWER_SLOT = 'earlier_answer';
export const OWN_ANSWER_SLOTS: readonly string[] = [OWN_ANSWER_SLOT, EARLIER_ANSWER_SLOT];

export interface SlotUse {
  name: string;
  index: number;
}

/** Every `{slot}` of a text with its character position. */
export function slotsOf(text: string): SlotUse[] {
  const out: SlotUse[] = [];
  for (const m of text.matchAll(SLOT)) out.push({ name: (m[1] ?? '').trim(), index: m.index ?? 0 });
  return out;
}

/** Braces left over once the well-formed slots are removed: `{village` or `village}`. */
export function strayBraceAt(text: string): number | undefined {
  const stripped = text.replace(SLOT, (m) => ' '.repeat(m.length));
  const i = stripped.search(/[{}]/);
  return i < 0 ? undefined : i;
}

/** Replaces slots with values; a slot without a value is left as it is (the caller checks beforehand). */
export function fillSlots(text: string, values: Readonly<Record<string, string | undefined>>): string {
  return text.replace(SLOT, (whole, name: string) => values[name.trim()] ?? whole);
}

// Arabic digits in any width; a run of two or more Chinese numerals (三万, 五十, 两千); a numeral with a
// magnitude (十, 百, 千, 万, 亿) after it; a numeral other than 一 before a measure word (三天, 两袋);
// capital numerals used on receipts (壹贰叁…). A lone 一 ("一天", "一袋") is not a figure: it is how every
// question about a day or a sack is asked; lexical words (五金, 三轮车, 百货) are not figures either.
const FIGURE_PATTERNS: readonly RegExp[] = [
  /[0-9０-９]/,
  /[零〇一二两三四五六七八九十百千万亿]{2,}/,
  /[零〇一二两三四五六七八九十][十百千万亿]/,
  /[二两三四五六七八九十](?=[个天日周月年季次趟头只口亩斤公吨块元角张桌人辆台袋箱层间家笔岁成倍批栏车])/,
  /[壹贰叁肆伍陆柒捌玖拾佰仟]/,
  /(?<![a-z])(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|percent)(?![a-z])/i,
];

/** Whether a text states a figure (a number a template must never carry: it could be an expected value). */
export function figureAt(text: string): { index: number; match: string } | undefined {
  let best: { index: number; match: string } | undefined;
  for (const p of FIGURE_PATTERNS) {
    const m = p.exec(text);
    if (m && (best === undefined || m.index < best.index)) best = { index: m.index, match: m[0] };
  }
  return best;
}

export const containsFigure = (text: string): boolean => figureAt(text) !== undefined;
