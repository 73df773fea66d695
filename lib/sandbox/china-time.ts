/** China Standard Time is UTC+8 all year, with no daylight saving. */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** `date` as the wall clock in Beijing reads it: `YYYY-MM-DDTHH:mm:ss`. */
function wallClock(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 19);
}

/** A time as the gateway writes it in answers and notifications: RFC 3339 in Beijing time, `2026-11-28T10:15:00+08:00`. */
export function chinaTime(date: Date): string {
  return `${wallClock(date)}+08:00`;
}

/** The day a time falls on in Beijing, `YYYY-MM-DD`: the `bill_date` whose bill holds it (bills cut at 00:00 Beijing time). */
export function chinaDay(date: Date): string {
  return wallClock(date).slice(0, 10);
}

/** A time as bills write it: `YYYY-MM-DD HH:mm:ss`, Beijing time. */
export function chinaClock(date: Date): string {
  return wallClock(date).replace('T', ' ');
}

/** Beijing time as digits, `YYYYMMDDHHmmss`, as ids that carry their day and time spell it. */
export function chinaDigits(date: Date): string {
  return wallClock(date).replace(/\D/g, '');
}
