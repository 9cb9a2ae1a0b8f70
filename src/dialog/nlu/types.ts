/**
 * What the answer understanding (NLU) makes of one applicant reply. Domain types only.
 */
import type { AnswerType, Lang, Localized } from '../../questions/types.js';

export type Intent =
  'answer' | 'dont_know' | 'refuse' | 'ask_back' | 'off_topic' | 'wants_person' | 'empty' | 'unparseable';

/** How the applicant qualified a figure: 三万多 is more_than, 两千来斤 is about, 不到两万 is less_than. */
export type Approx = 'exact' | 'about' | 'more_than' | 'less_than';

/** The time span a figure refers to when the applicant said so (一天七八百 → day). */
export type Period = 'day' | 'week' | 'month' | 'year' | 'season' | 'cycle';

/**
 * A figure. `value` is always the best single reading (the midpoint of a range); `low`/`high` are present
 * only for a range (七八百, 十几头, 两三千). Percent answers carry unit '%' and value in percent points.
 */
export interface NumberAnswer {
  kind: 'number';
  value: number;
  low?: number;
  high?: number;
  approx: Approx;
  /** The unit as understood: the question's unit after conversion, else the canonical spelling of the one said. */
  unit?: string;
  /** The unit the applicant actually said, when it differs from `unit` (公斤 when the question asks 斤). */
  saidUnit?: string;
  period?: Period;
  /** For a price, the unit it is paid per: 10块钱一斤 → unit 元, per 斤. */
  per?: string;
}

export interface YesNoAnswer {
  kind: 'yes_no';
  value: boolean;
  /** A figure said along with the yes (有两个 → yes, 2). */
  number?: NumberAnswer;
}

export interface ChoiceAnswer {
  kind: 'choice';
  id: string;
  by: 'id' | 'label' | 'ordinal';
  /** Other choices also named in the same reply (一半自己的一半租的). */
  others?: string[];
}

/**
 * A calendar date or a date relative to the day of the interview (去年 → years −1). The NLU has no clock:
 * the dialog service resolves `relative` with its injected clock.
 */
export interface DateAnswer {
  kind: 'date';
  year?: number;
  month?: number;
  day?: number;
  relative?: { unit: 'year' | 'month' | 'day'; offset: number };
  approx: Approx;
}

/** A duration normalised to months (三年半 = 42). */
export interface DurationAnswer {
  kind: 'duration';
  months: number;
  low?: number;
  high?: number;
  approx: Approx;
}

/** A duration given as its start (2015年开始干的): months need the interview date, which the NLU does not have. */
export interface DurationSinceAnswer {
  kind: 'duration_since';
  since: DateAnswer;
}

export interface PlaceAnswer {
  kind: 'place';
  text: string;
  /** Place names found in the reply (河北省, 保定市, 东关). */
  names: string[];
}

export interface TextAnswer {
  kind: 'text';
  text: string;
}

export type ParsedAnswer =
  | NumberAnswer
  | YesNoAnswer
  | ChoiceAnswer
  | DateAnswer
  | DurationAnswer
  | DurationSinceAnswer
  | PlaceAnswer
  | TextAnswer;

/** Stable codes explaining how a reply was read; the dialog uses them to decide on a rephrase. */
export type NluNote =
  | 'truncated'
  | 'markup_or_sql_like'
  | 'emoji_only'
  | 'unit_assumed'
  | 'unit_converted'
  | 'unit_mismatch'
  | 'multiple_numbers'
  | 'multiple_choices'
  | 'vague_quantity'
  | 'no_number'
  | 'no_choice_matched'
  | 'no_yes_no'
  | 'no_date'
  | 'folk_interest_rate'
  | 'english'
  | 'double_negation'
  /** A household counted from the members named (我和老婆两个孩子 → 4). */
  | 'members_counted';

export interface Understanding {
  intent: Intent;
  /** Present when intent is 'answer'; may also be present with 'ask_back' (你问的是一个月吗 → 1 month). */
  parsed?: ParsedAnswer;
  /** The applicant hedged (应该是吧, 大概, 好像, about, I think) or approximated. */
  hedged: boolean;
  /** 0..1, how sure the reading is; 0 when nothing was understood. */
  confidence: number;
  notes: NluNote[];
  /**
   * A question the reply puts to the interviewer that is owed its own answer before the question goes again: why
   * it is asked, or whether a machine is asking. Absent otherwise.
   */
  aside?: 'why_asked' | 'bot_identity';
}

export interface ChoiceOption {
  id: string;
  label: Localized;
}

export interface UnderstandOptions {
  answerType: AnswerType;
  /** The question's unit, e.g. '斤', '元', '趟/月'; the answer is converted to it when the dimension matches. */
  unit?: string;
  choices?: ChoiceOption[];
  lang?: Lang;
}
