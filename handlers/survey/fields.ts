// The survey form's fields: names, choices and limits, shared by the page, the reader and the cards.
import type { SurveyRating } from '../../db/schema.js';

export const RATING_LABELS: Record<SurveyRating, string> = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' };
export const COMMENT_MAX = 300;
/** Criteria asked when the template names none (seed 000's 服务态度, 服务质量, 办事效率). */
export const DEFAULT_CRITERIA = ['服务态度', '服务质量', '办事效率'];
export const MAX_CODES = 500;

export const surveyField = {
  rating: 'rating',
  criterion: (i: number) => `c${i + 1}`,
  comment: 'comment',
  code: 'code',
} as const;
