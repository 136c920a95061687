// The platform-neutral card: builders produce it, renderers turn it into Feishu or DingTalk JSON.

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

export type Block =
  | { type: 'markdown'; text: string }
  | { type: 'divider' }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'actions'; buttons: Button[] }
  | { type: 'note'; text: string };

export interface CardModel {
  title: string;
  subtitle?: string;
  tone?: Tone;
  blocks: Block[];
}
