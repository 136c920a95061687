// The platform-neutral card: builders produce it, each adapter's renderer turns it into its JSON or HTML.

/** A typed, versioned action id carried by every button and form; dispatch routes on `id`. */
export interface ActionRef {
  id: string;
  v: number;
  args?: Record<string, string>;
}

export type Tone = 'blue' | 'green' | 'orange' | 'red' | 'grey' | 'purple';

export interface Button {
  label: string;
  action: ActionRef;
  style?: 'primary' | 'default' | 'danger';
  /** Ask before acting: {title, text}. */
  confirm?: { title: string; text: string };
}

export interface FormText {
  kind: 'text';
  name: string;
  placeholder: string;
  value?: string;
  maxLength?: number;
}

export interface FormSelect {
  kind: 'select';
  name: string;
  placeholder: string;
  options: Array<{ label: string; value: string }>;
  value?: string;
}

export interface FormDate {
  kind: 'date';
  name: string;
  placeholder: string;
  /** YYYY-MM-DD */
  value?: string;
}

export type FormField = FormText | FormSelect | FormDate;

/** A form: fields grouped under headings, one submit button. Values come back in formValue by name. */
export interface FormBlock {
  type: 'form';
  name: string;
  sections: Array<{ heading: string; fields: FormField[] }>;
  submit: Button;
}

export type Block =
  | { type: 'markdown'; text: string }
  | { type: 'divider' }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'actions'; buttons: Button[] }
  /** Buttons that open a web page (a survey, a printable sheet). */
  | { type: 'links'; links: Array<{ label: string; url: string }> }
  | { type: 'note'; text: string }
  | { type: 'chart'; title: string; bars: Array<{ label: string; value: number }> }
  | FormBlock;

export interface CardModel {
  title: string;
  /**
   * Holds one person's anonymous answers (a ballot with its grades): shown to them, never kept by
   * the bot next to their identity (the web edge keeps it in memory only).
   */
  sensitive?: boolean;
  /**
   * It is updated in place later (a pledge wall). Feishu updates any card; DingTalk updates only its
   * interactive cards, so its adapter sends such a card as one.
   */
  updatable?: boolean;
  subtitle?: string;
  tone?: Tone;
  blocks: Block[];
}
