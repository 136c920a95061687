// The declaration, self-assessment and self-check forms' fields: names and limits, shared by the
// card builders, the readers and every renderer.
export const NOTE_MAX = 200;
export const STATEMENT_MAX = 300;

export const assessField = {
  score: (itemNo: number) => `score_${itemNo}`,
  note: (itemNo: number) => `note_${itemNo}`,
  bonus: (itemNo: number) => `bonus_${itemNo}`,
  bonusNote: (itemNo: number) => `bonus_note_${itemNo}`,
  claim: (itemNo: number) => `claim_${itemNo}`,
  veto: (condition: number) => `veto_${condition}`,
};

export const declareField = { postKind: 'post_kind', statement: 'statement' } as const;

export const checkField = {
  grade: (criterionId: string) => `grade_${criterionId}`,
  note: (criterionId: string) => `note_${criterionId}`,
};
