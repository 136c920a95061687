// The 公示 page's objection form: field names and limits shared by the page and the reader.
export const OBJECTION_FIELDS = { nominee: 'nominee', text: 'text', name: 'name', contact: 'contact' } as const;
export const OBJECTION_MAX = 500;
