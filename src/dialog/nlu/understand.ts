/**
 * Answer understanding: one applicant reply to one question → intent, parsed answer, hedging, confidence.
 * Pure apart from the jieba segmenter, which is created lazily once per `createNlu()` (loading its
 * dictionary takes ~0.25 s; each cut then takes microseconds).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { AnswerType } from '../../questions/types.js';
import { candidateToAnswer, findAmounts } from './amount.js';
import type { AmountCandidate } from './amount.js';
import { readChoice, readDate, readDuration, readPlace, readYesNo } from './answers.js';
import { detectIntents, isHedged } from './intents.js';
import type { IntentFlags } from './intents.js';
import { prepare } from './normalize.js';
import type {
  Intent,
  NluNote,
  NumberAnswer,
  ParsedAnswer,
  Understanding,
  UnderstandOptions,
} from './types.js';
import { countHouseholdMembers, statedHousehold } from './household.js';
import { convertUnit, lookupUnit, parseQuestionUnit, spellUnit } from './units.js';

/**
 * A figure of zero said as a denial: 没有, 一个都没有, 一分没欠, 一分钱都没欠, 没借过钱, 不欠钱, 没有欠款, 没雇人,
 * none, I owe nothing. The whole reply must be that (没欠多少，两万 is a figure).
 */
const NOTHING = new RegExp(
  '^(?:我|我们|家里)?(?:现在|目前)?' +
    '(?:(?:一分钱?|一毛钱?|一个人?|一头|一辆|一点|啥|什么)(?:都|也)?)?' +
    '(?:(?:没有?|木有|莫得|没得|无)(?:欠|借|贷|赊|雇|请|养|花|用)?|不欠)' +
    '(?:过|着)?(?:钱|款|欠款|借款|贷款|外债|债|账|人|工人)?[。.!！啊呀的了呢]*$' +
    "|^(?:none|nothing|zero|nil|no one|nobody|no debts?|not a (?:cent|penny)|i owe nothing|(?:i )?don'?t owe anything)[.!]*$",
);

const NUMERIC: ReadonlySet<AnswerType> = new Set(['money', 'quantity', 'count', 'percent']);

interface Reading {
  parsed: ParsedAnswer;
  confidence: number;
  notes: NluNote[];
}

const clamp = (x: number) => Math.max(0, Math.min(1, Math.round(x * 100) / 100));

function defaultUnit(type: AnswerType, unit: string | undefined): string | undefined {
  const base = parseQuestionUnit(unit).base;
  if (base) return base;
  if (type === 'money') return '元';
  if (type === 'percent') return '%';
  return undefined;
}

/** How well a figure fits the question: its unit's dimension against the question's. */
function fit(
  c: AmountCandidate,
  type: AnswerType,
  base: string | undefined,
  period: string | undefined,
): number {
  let score = 0;
  const dim = c.unitDef?.dimension;
  const want = base ? lookupUnit(base)?.dimension : undefined;
  if (!dim) score += 2;
  else if (want && dim === want) score += 3;
  else if (dim === 'generic') score += type === 'money' ? -1 : 1.5;
  else if (type === 'count' && (dim === 'person' || dim === 'piece' || dim === 'head' || dim === 'vehicle'))
    score += 2;
  else score -= 3;
  if (period && c.period === period) score += 1;
  return score;
}

function readNumber(norm: string, opts: UnderstandOptions): Reading | undefined {
  const found = findAmounts(norm);
  const q = parseQuestionUnit(opts.unit);
  const base = defaultUnit(opts.answerType, opts.unit);
  const ranked = found.candidates
    .map((c, i) => ({ c, i, s: fit(c, opts.answerType, base, q.period) }))
    .sort((a, b) => b.s - a.s || a.i - b.i);
  // 没有 / 一个都没有 / none answers "how many" or "how much" with zero.
  if (NOTHING.test(norm)) {
    return {
      parsed: { kind: 'number', value: 0, approx: 'exact', ...(base ? { unit: base } : {}) },
      confidence: 0.75,
      notes: [],
    };
  }
  // 一家五口 is five, not one 家; a household named member by member (我和老婆两个孩子) adds up to its size.
  if (base === '人') {
    const stated = statedHousehold(norm);
    const members = stated === undefined ? countHouseholdMembers(norm) : undefined;
    const size = stated ?? members;
    if (size !== undefined)
      return {
        parsed: { kind: 'number', value: size, approx: 'exact', unit: '人' },
        confidence: stated !== undefined ? 0.95 : 0.8,
        notes: members !== undefined ? ['members_counted'] : [],
      };
  }
  const best = ranked[0];
  if (!best) return undefined;
  const notes: NluNote[] = [];
  let confidence = 0.95;
  if (found.folkInterest) notes.push('folk_interest_rate');
  const plausible = ranked.filter((r) => r.s >= 0 && r.c.value !== best.c.value);
  if (plausible.length > 0) {
    notes.push('multiple_numbers');
    confidence -= 0.15;
  }
  const c = best.c;
  let answer: NumberAnswer = candidateToAnswer(c);
  if (!c.unit) {
    if (base) {
      answer = { ...answer, unit: base };
      notes.push('unit_assumed');
      if (opts.answerType !== 'money' && opts.answerType !== 'count') confidence -= 0.1;
    }
  } else if (base) {
    const factor = convertUnit(1, c.unit, base);
    if (factor === undefined) {
      notes.push('unit_mismatch');
      confidence -= 0.4;
    } else {
      const scale = (x: number | undefined) =>
        x === undefined ? undefined : Math.round(x * factor * 1e6) / 1e6;
      const said = spellUnit(c.unit);
      answer = {
        ...answer,
        value: scale(answer.value)!,
        ...(answer.low !== undefined ? { low: scale(answer.low)!, high: scale(answer.high)! } : {}),
        unit: base,
        ...(said !== base ? { saidUnit: said } : {}),
      };
      if (factor !== 1) notes.push('unit_converted');
    }
  }
  if (answer.approx !== 'exact' || answer.low !== undefined) confidence -= 0.1;
  return { parsed: answer, confidence, notes };
}

function readByType(
  opts: UnderstandOptions,
  raw: string,
  norm: string,
  tokens: () => string[],
  tagged: () => { word: string; tag: string }[],
): Reading | undefined {
  const type = opts.answerType;
  switch (type) {
    case 'money':
    case 'quantity':
    case 'count':
    case 'percent':
      return readNumber(norm, opts);
    case 'yes_no': {
      const yn = readYesNo(norm, tokens());
      if (!yn) return undefined;
      const notes: NluNote[] = yn.doubleNegation ? ['double_negation'] : [];
      let number: NumberAnswer | undefined;
      if (yn.value) {
        const first = findAmounts(norm).candidates[0];
        if (first) number = candidateToAnswer(first);
      }
      return {
        parsed: { kind: 'yes_no', value: yn.value, ...(number ? { number } : {}) },
        confidence: yn.doubleNegation ? 0.7 : 0.95,
        notes,
      };
    }
    case 'choice': {
      const ch = readChoice(norm, opts.choices ?? []);
      if (!ch) return undefined;
      const notes: NluNote[] = ch.others.length > 0 ? ['multiple_choices'] : [];
      const confidence = ch.others.length > 0 ? 0.5 : ch.by === 'id' ? 1 : 0.6 + 0.35 * ch.strength;
      return {
        parsed: {
          kind: 'choice',
          id: ch.id,
          by: ch.by,
          ...(ch.others.length > 0 ? { others: ch.others } : {}),
        },
        confidence,
        notes,
      };
    }
    case 'date': {
      const d = readDate(norm);
      return d ? { parsed: d, confidence: d.approx === 'exact' ? 0.9 : 0.75, notes: [] } : undefined;
    }
    case 'duration': {
      const d = readDuration(norm, parseQuestionUnit(opts.unit).base);
      if (!d) return undefined;
      const approxish =
        d.answer.kind === 'duration' && (d.answer.approx !== 'exact' || d.answer.low !== undefined);
      return {
        parsed: d.answer,
        confidence: 0.9 - (d.unitAssumed ? 0.2 : 0) - (approxish ? 0.1 : 0),
        notes: d.unitAssumed ? ['unit_assumed'] : [],
      };
    }
    case 'place': {
      const p = readPlace(raw, tagged());
      return { parsed: { kind: 'place', ...p }, confidence: p.names.length > 0 ? 0.9 : 0.6, notes: [] };
    }
    case 'text':
      return { parsed: { kind: 'text', text: raw }, confidence: 0.9, notes: [] };
  }
}

/** An intent said in words, when no answer was given. */
function wordIntent(f: IntentFlags): Intent | undefined {
  if (f.refuse) return 'refuse';
  if (f.dontKnow) return 'dont_know';
  if (f.offTopic) return 'off_topic';
  return undefined;
}

export interface Nlu {
  understand(text: string, opts: UnderstandOptions): Understanding;
}

/** Makes an NLU with its own segmenter; keep one per process (or per worker) and reuse it. */
export function createNlu(): Nlu {
  let jieba: Jieba | undefined;
  const segmenter = () => (jieba ??= Jieba.withDict(dict));

  function understand(text: string, opts: UnderstandOptions): Understanding {
    const p = prepare(typeof text === 'string' ? text : '');
    const notes: NluNote[] = [...p.notes];
    const result = (
      intent: Intent,
      confidence: number,
      extra: Partial<Understanding> = {},
    ): Understanding => ({
      intent,
      hedged: false,
      confidence: clamp(confidence),
      notes: [...new Set(notes)],
      ...extra,
    });
    if (p.empty) return result('empty', 1);
    const { raw, norm } = p;
    const isEnglish = /[a-z]{2,}/.test(norm) && !/\p{Script=Han}/u.test(norm);
    if (isEnglish) notes.push('english');
    let tokenCache: string[] | undefined;
    let tagCache: { word: string; tag: string }[] | undefined;
    const tokens = () => (tokenCache ??= segmenter().cut(norm, false));
    const tagged = () => (tagCache ??= segmenter().tag(raw, false));
    // Segmenting costs ~0.2 ms; the intents only need the tokens when 人工 could be the operator.
    const flags = detectIntents(norm, norm.includes('人工') ? tokens() : []);
    if (flags.wantsPerson) return result('wants_person', 0.9);
    // A question put to the interviewer, owed its own answer when the reply asks back or strays (not when it answers).
    const aside: Partial<Understanding> = flags.botIdentity
      ? { aside: 'bot_identity' }
      : flags.whyAsked
        ? { aside: 'why_asked' }
        : {};

    const numericLike =
      NUMERIC.has(opts.answerType) || opts.answerType === 'date' || opts.answerType === 'duration';
    if (p.markupLike && numericLike) return result('unparseable', 0);

    // For answers read from words (yes/no, choice, text, place), 不知道 and 不想说 would be misread as
    // an answer (不 = no); for figures, a figure said after 不太清楚 is still the answer.
    const wordsFirst = !numericLike && (flags.refuse || flags.dontKnow);
    const reading = wordsFirst ? undefined : readByType(opts, raw, norm, tokens, tagged);
    const hedged =
      isHedged(norm) ||
      (reading?.parsed.kind === 'number' && reading.parsed.approx === 'about') ||
      (reading?.parsed.kind === 'duration' && reading.parsed.approx === 'about') ||
      (reading !== undefined && (flags.dontKnow || flags.refuse));
    if (reading) notes.push(...reading.notes);

    if (flags.askBack) {
      return result('ask_back', 0.85, { hedged, ...(reading ? { parsed: reading.parsed } : {}), ...aside });
    }
    if (reading) {
      const conf = reading.confidence - (hedged ? 0.1 : 0) - (isEnglish ? 0.05 : 0);
      return result('answer', Math.max(0.3, conf), { parsed: reading.parsed, hedged });
    }
    const said = wordIntent(flags);
    if (said) return result(said, 0.9, said === 'off_topic' ? aside : {});
    if (numericLike)
      notes.push(flags.vague ? 'vague_quantity' : opts.answerType === 'date' ? 'no_date' : 'no_number');
    if (opts.answerType === 'choice') notes.push('no_choice_matched');
    if (opts.answerType === 'yes_no') notes.push('no_yes_no');
    return result('unparseable', 0, { hedged: isHedged(norm) });
  }

  return { understand };
}
