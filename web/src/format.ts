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

/** 2026-04-01 (a date without time) → 令和8年4月1日; '' when it is not such a date. */
export function formatWarekiDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return ''
  // noon UTC: the same calendar day in Japan, whatever the zone
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12))
  if (Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3])) return ''
  const p = parts(d, { era: 'long', year: 'numeric', month: 'numeric', day: 'numeric' }, 'ja-JP-u-ca-japanese')
  const year = p.year === '1' ? '元' : p.year
  return `${p.era}${year}年${p.month}月${p.day}日`
}
