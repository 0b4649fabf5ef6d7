import { describe, expect, it } from 'vitest'
import { catalogues, en, ja, storedLang, storeLang } from './i18n'
import { formatDate, formatDateTime, formatWarekiDate, formatWarekiYear } from './format'

describe('catalogue', () => {
  it('has the same keys in Japanese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort())
  })

  it('has no empty label', () => {
    for (const [lang, messages] of Object.entries(catalogues)) {
      for (const [key, value] of Object.entries(messages)) {
        expect(value.trim(), `${lang}.${key}`).not.toBe('')
      }
    }
  })

  it('remembers only known languages', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) }
    expect(storedLang(storage)).toBe('ja')
    storeLang('en', storage)
    expect(storedLang(storage)).toBe('en')
    store.set('mamori.lang', 'fr')
    expect(storedLang(storage)).toBe('ja')
  })
})

describe('dates', () => {
  // 2026-03-31T15:30Z is already April 1st in Japan.
  const d = new Date('2026-03-31T15:30:00Z')
  it('shows Japan dates as 2026/04/01', () => {
    expect(formatDate(d)).toBe('2026/04/01')
    expect(formatDateTime(d)).toBe('2026/04/01 00:30')
  })
  it('shows the era year', () => {
    expect(formatWarekiYear(d)).toBe('令和8年')
  })
})

describe('和暦 of a date', () => {
  it('names the era, with 元年 for the first year', () => {
    expect(formatWarekiDate('1985-04-01')).toBe('昭和60年4月1日')
    expect(formatWarekiDate('2019-05-01')).toBe('令和元年5月1日')
    expect(formatWarekiDate('2019-04-30')).toBe('平成31年4月30日')
  })
  it('is empty for anything else', () => {
    expect(formatWarekiDate('')).toBe('')
    expect(formatWarekiDate('2026-02-30')).toBe('')
    expect(formatWarekiDate('2026/04/01')).toBe('')
  })
})

