// The pledge and progress forms' fields: names and limits, shared by the card builder, the reader
// and every renderer (a chat card, a web page).
export const PLEDGE_SLOTS = 3;
export const PROMISE_MAX = 200;
/** A progress report's note. */
export const NOTE_MAX = 200;

export const pledgeField = {
  area: (n: number) => `area_${n}`,
  promise: (n: number) => `promise_${n}`,
  due: (n: number) => `due_${n}`,
};

export const progressField = {
  status: (n: number) => `status_${n}`,
  note: (n: number) => `note_${n}`,
};
