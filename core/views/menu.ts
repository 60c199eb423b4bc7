/** A navigation entry, ready to render (label already translated). */
export interface MenuItem {
  id: string;
  label: string;
  href: string;
  order: number;
  active?: boolean;
}
