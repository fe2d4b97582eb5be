import type { Language } from '../../../shared/languages.js';

/** Locale-aware formatting through Intl; every date and number on the page goes through here. */
export function formatters(lang: Language) {
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
  const number = new Intl.NumberFormat(lang);
  const seconds = new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 });
  const minutes = new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 1 });
  return {
    dateTime: (iso: string): string => dateTime.format(new Date(iso)),
    number: (value: number): string => number.format(value),
    duration: (ms: number): string => (ms < 60_000 ? seconds.format(ms / 1000) : minutes.format(ms / 60_000)),
    /** A time zone's name as people of this language say it, e.g. "Mitteleuropäische Zeit". */
    timeZone: (zone: string): string => {
      const part = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'longGeneric' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName');
      return part ? `${zone} — ${part.value}` : zone;
    },
    /** Weekday names, Monday first, in this language. */
    weekday: (isoDay: number): string =>
      new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, isoDay))),
  };
}

export type Formatters = ReturnType<typeof formatters>;
