import type { Language } from '../i18n';

const daPattern = /^(\d{4})(\d{2})(\d{2})$/;

/** A DA (YYYYMMDD) as dd/MM/yyyy in Vietnamese and yyyy-MM-dd in English; anything else is shown as stored. */
export function formatDicomDate(da: string, language: Language): string {
  const match = daPattern.exec(da.trim());
  if (!match) {
    return da;
  }
  const [, year, month, day] = match;
  return language === 'vi' ? `${day}/${month}/${year}` : `${year}-${month}-${day}`;
}

/** A TM (HHMMSS.FFFFFF, or HH:MM:SS from old files) as HH:mm. */
export function formatDicomTime(tm: string): string {
  const digits = tm.trim().replace(/:/g, '');
  if (!/^\d{2,}/.test(digits)) {
    return tm;
  }
  return `${digits.slice(0, 2)}:${digits.length >= 4 ? digits.slice(2, 4) : '00'}`;
}

/** An <input type=date> value (yyyy-MM-dd) as DA; '' when empty or malformed. */
export function inputDateToDicom(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.replace(/-/g, '') : '';
}

/** A local calendar date as an <input type=date> value, so "today" is the reading room's day, not UTC's. */
export function toInputDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function daysAgo(days: number, from: Date = new Date()): Date {
  const date = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  date.setDate(date.getDate() - days);
  return date;
}
