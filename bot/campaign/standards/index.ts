// Standards the campaigns measure against, as data quoted from the source documents: the 六好 standard
// of seed 004 (six areas, 18 numbered items; item 18: satisfaction of at least 90 %).
import sixGood from './six-good.json' with { type: 'json' };

export interface StandardItem {
  no: number;
  title: string;
  text: string;
}

export interface Standard {
  id: string;
  title: string;
  source: string;
  satisfaction: { threshold: number; item: number };
  areas: Array<{ no: number; title: string; summary: string; items: StandardItem[] }>;
}

export const SIX_GOOD: Standard = sixGood;
