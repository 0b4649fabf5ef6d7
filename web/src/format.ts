// Dates as people in Japanese offices write them: 2026/04/01, in Japan time
// (the server stores UTC). 和暦 where people expect it: 令和8年.

const TZ = 'Asia/Tokyo'

function parts(d: Date, opts: Intl.DateTimeFormatOptions, locale = 'en-US'): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of new Intl.DateTimeFormat(locale, { timeZone: TZ, ...opts }).formatToParts(d)) out[p.type] = p.value
  return out
}

/** 2026/04/01 (the same in both languages). */
export function formatDate(d: Date): string {
  const p = parts(d, { year: 'numeric', month: '2-digit', day: '2-digit' })
  return `${p.year}/${p.month}/${p.day}`
}

/** 2026/04/01 09:05 */
export function formatDateTime(d: Date): string {
  const p = parts(d, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`
}

/** 令和8年 — the Japanese era year of a date. */
export function formatWarekiYear(d: Date): string {
  const p = parts(d, { era: 'long', year: 'numeric' }, 'ja-JP-u-ca-japanese')
  return `${p.era}${p.year}年`
}
