import { describe, expect, it } from 'vitest'
import { catalogues, en, ja, storedLang, storeLang } from './i18n'
import { formatDate, formatDateTime, formatWarekiYear } from './format'

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
