import { describe, expect, it } from 'vitest'
import {
  abilitiesOf,
  base64ToBytes,
  checkNumber,
  corporateAllowed,
  corporateCheckDigit,
  deletionConfirmErrors,
  emptySubjectQuery,
  groupNumber,
  individualCheckDigit,
  isMonth,
  isValidCorporateNumber,
  isValidIndividualNumber,
  keepFitting,
  lastFour,
  maskedTail,
  maskedText,
  monthOf,
  normaliseNumber,
  parseSubjectQuery,
  previousMonth,
  purposeLabel,
  purposesForKind,
  subjectsHash,
  subjectsPath,
  textHasMyNumber,
  type Purpose,
} from './mynumber'
import { hashOf, permissionFor, routeFromHash, sectionOf, viewKeyOf } from './routes'

describe('個人番号 check digit', () => {
  it('accepts 123456789018 and refuses every other last digit', () => {
    expect(individualCheckDigit('12345678901')).toBe(8)
    expect(isValidIndividualNumber('123456789018')).toBe(true)
    for (let d = 0; d <= 9; d++) if (d !== 8) expect(isValidIndividualNumber(`12345678901${d}`), `…${d}`).toBe(false)
  })
  it('gives 0 when the remainder is 0 or 1', () => {
    // Σ = 0 → remainder 0 → 0
    expect(individualCheckDigit('00000000000')).toBe(0)
    expect(isValidIndividualNumber('000000000000')).toBe(true)
    // 1 in the rightmost place: Σ = 1×2 = 2 → 11 − 2 = 9
    expect(individualCheckDigit('00000000001')).toBe(9)
    // 5 in the 7th place from the right (Q = 2): Σ = 10 → 1
    expect(individualCheckDigit('00005000000')).toBe(1)
    // remainder 1: 6 in the rightmost place (Q = 2) → Σ = 12 → 12 mod 11 = 1 → 0
    expect(individualCheckDigit('00000000006')).toBe(0)
  })
  it('agrees with a brute-force reading of the rule on every single-digit change', () => {
    const base = '98765432101'
    for (let i = 0; i < 11; i++)
      for (let d = 0; d <= 9; d++) {
        const n = base.slice(0, i) + d + base.slice(i + 1)
        let sum = 0
        for (let k = 0; k < 11; k++) {
          const pos = 11 - k // position from the right
          sum += Number(n[k]) * (pos <= 6 ? pos + 1 : pos - 5)
        }
        const r = sum % 11
        expect(individualCheckDigit(n)).toBe(r <= 1 ? 0 : 11 - r)
      }
  })
  it('wants exactly 12 digits', () => {
    expect(isValidIndividualNumber('12345678901')).toBe(false)
    expect(isValidIndividualNumber('1234567890180')).toBe(false)
    expect(isValidIndividualNumber('12345678901a')).toBe(false)
    expect(() => individualCheckDigit('123')).toThrow()
  })
})

describe('法人番号 check digit', () => {
  it('accepts published numbers', () => {
    // 国税庁 7000012050002; 8700110005901 (the brief's example); the worked example 7123456789012;
    // a company's number quoted with its 会社法人等番号: 2120901007402
    for (const n of ['7000012050002', '8700110005901', '7123456789012', '2120901007402', '4011001098993'])
      expect(isValidCorporateNumber(n), n).toBe(true)
    expect(corporateCheckDigit('123456789012')).toBe(7)
    expect(corporateCheckDigit('000012050002')).toBe(7)
  })
  it('refuses every other leading digit', () => {
    for (let d = 0; d <= 9; d++) if (d !== 7) expect(isValidCorporateNumber(`${d}000012050002`)).toBe(false)
  })
  it('is 9 when the sum is a multiple of 9 (never 0)', () => {
    expect(corporateCheckDigit('000000000000')).toBe(9)
    expect(corporateCheckDigit('000000000009')).toBe(9)
    for (let i = 0; i < 200; i++) {
      const base = String(i * 7919 * 104729).padStart(12, '0').slice(-12)
      const c = corporateCheckDigit(base)
      expect(c).toBeGreaterThanOrEqual(1)
      expect(c).toBeLessThanOrEqual(9)
    }
  })
})

describe('normalising what was typed', () => {
  it('makes full-width digits ASCII and drops hyphens and spaces', () => {
    expect(normaliseNumber('１２３４５６７８９０１８')).toBe('123456789018')
    expect(normaliseNumber('1234-5678-9018')).toBe('123456789018')
    expect(normaliseNumber(' 1234 5678 9018 ')).toBe('123456789018')
    expect(normaliseNumber('１２３４　５６７８　９０１８')).toBe('123456789018')
    expect(normaliseNumber('1234－5678ー9018')).toBe('123456789018')
    expect(normaliseNumber('1234‐5678−9018')).toBe('123456789018')
  })
  it('keeps what is no digit, so it can be refused', () => {
    expect(normaliseNumber('1234-abcd')).toBe('1234abcd')
    expect(normaliseNumber('')).toBe('')
    // the server's separators only: a tab is not one
    expect(normaliseNumber('1234\t5678')).toBe('1234\t5678')
  })
})

describe('the live indicator', () => {
  it('follows the typing', () => {
    expect(checkNumber('')).toEqual({ status: 'empty' })
    expect(checkNumber('  ')).toEqual({ status: 'empty' })
    expect(checkNumber('1234')).toEqual({ status: 'short', count: 4, expected: 12 })
    expect(checkNumber('1234 5678 9018')).toEqual({ status: 'valid', kind: 'individual' })
    expect(checkNumber('１２３４５６７８９０１８')).toEqual({ status: 'valid', kind: 'individual' })
    expect(checkNumber('123456789012')).toEqual({ status: 'invalid', kind: 'individual' })
    expect(checkNumber('12345678901x')).toEqual({ status: 'not_digits' })
  })
  it('takes a 法人番号 only where one may be given', () => {
    expect(checkNumber('7000012050002')).toEqual({ status: 'long', count: 13, expected: 12 })
    expect(checkNumber('7000012050002', true)).toEqual({ status: 'valid', kind: 'corporate' })
    expect(checkNumber('7000012050003', true)).toEqual({ status: 'invalid', kind: 'corporate' })
    expect(checkNumber('12345678901234', true)).toEqual({ status: 'long', count: 14, expected: 13 })
    expect(corporateAllowed('partner')).toBe(true)
    expect(corporateAllowed('employee')).toBe(false)
    expect(corporateAllowed('')).toBe(false)
  })
  it('never carries the digits', () => {
    expect(JSON.stringify(checkNumber('123456789018'))).not.toMatch(/\d{4}/)
  })
  it('gives the last four for the confirmation', () => {
    expect(lastFour('1234-5678-9018')).toBe('9018')
    expect(lastFour('12')).toBe('')
  })
})

describe('a number inside a text', () => {
  it('finds a 個人番号 written in a report', () => {
    expect(textHasMyNumber('番号は123456789018です')).toBe(true)
    expect(textHasMyNumber('1234 5678 9018')).toBe(true)
    expect(textHasMyNumber('１２３４－５６７８－９０１８')).toBe(true)
  })
  it('ignores other numbers', () => {
    expect(textHasMyNumber('2026年11月1日に人事部から封筒で受け取った')).toBe(false)
    expect(textHasMyNumber('123456789012')).toBe(false) // wrong check digit
    expect(textHasMyNumber('1123456789018')).toBe(false) // part of a longer run
    expect(textHasMyNumber('電話 03-1234-5678')).toBe(false)
  })
})

describe('showing numbers', () => {
  it('shows the masked form or a dash', () => {
    expect(maskedText('********9018')).toBe('********9018')
    expect(maskedText(null)).toBe('—')
    expect(maskedText('')).toBe('—')
    expect(maskedTail('********9018')).toBe('9018')
    expect(maskedTail(null)).toBe('')
  })
  it('groups a revealed number by four', () => {
    expect(groupNumber('123456789018')).toBe('1234 5678 9018')
    expect(groupNumber('8700110005901')).toBe('8 7001 1000 5901')
  })
})

describe('who may do what', () => {
  it('follows the roles', () => {
    expect(abilitiesOf(['mynumber_handler'])).toEqual({ list: true, collect: true, reveal: true, manage: false, itStaff: false })
    expect(abilitiesOf(['mynumber_manager'])).toEqual({ list: true, collect: false, reveal: false, manage: true, itStaff: false })
    expect(abilitiesOf(['auditor'])).toEqual({ list: true, collect: false, reveal: false, manage: false, itStaff: false })
    expect(abilitiesOf(['sysadmin', 'employee'])).toEqual({ list: false, collect: false, reveal: false, manage: false, itStaff: true })
    expect(abilitiesOf(['employee'])).toEqual({ list: false, collect: false, reveal: false, manage: false, itStaff: false })
  })
  it('follows the role catalogue when it names the permissions', () => {
    expect(abilitiesOf(['someone'], new Set(['mynumber.list'])).list).toBe(true)
    expect(abilitiesOf(['someone'], new Set(['mynumber.reveal'])).reveal).toBe(true)
  })
})

describe('purposes', () => {
  const purposes: Purpose[] = [
    { code: 'withholding', label: '源泉徴収票作成事務', label_en: 'Withholding slips', kinds: ['employee'] },
    { code: 'social_insurance', label: '健康保険・厚生年金保険届出', kinds: ['employee', 'dependant'] },
    { code: 'partner_payment', label: '支払調書作成事務', kinds: ['partner'] },
  ]
  it('offers those that fit the kind', () => {
    expect(purposesForKind(purposes, 'employee').map((p) => p.code)).toEqual(['withholding', 'social_insurance'])
    expect(purposesForKind(purposes, 'dependant').map((p) => p.code)).toEqual(['social_insurance'])
    expect(purposesForKind(purposes, '')).toEqual([])
    expect(keepFitting(['withholding', 'social_insurance'], purposes, 'dependant')).toEqual(['social_insurance'])
  })
  it('labels them in the UI language', () => {
    expect(purposeLabel('withholding', purposes, 'ja')).toBe('源泉徴収票作成事務')
    expect(purposeLabel('withholding', purposes, 'en')).toBe('Withholding slips')
    expect(purposeLabel('social_insurance', purposes, 'en')).toBe('健康保険・厚生年金保険届出')
    expect(purposeLabel('unknown', purposes, 'ja')).toBe('unknown')
  })
})

describe('the list query', () => {
  it('parses and writes the hash', () => {
    expect(parseSubjectQuery('')).toEqual(emptySubjectQuery())
    expect(parseSubjectQuery('q=%E4%BD%90%E8%97%A4&kind=employee&state=deleted&page=3')).toEqual({ q: '佐藤', kind: 'employee', state: 'deleted', page: 3 })
    expect(parseSubjectQuery('kind=boss&state=x&page=-1')).toEqual(emptySubjectQuery())
    expect(subjectsHash(emptySubjectQuery())).toBe('#/mynumber')
    expect(subjectsHash({ q: ' 佐藤 ', kind: 'employee', state: '', page: 2 })).toBe('#/mynumber?q=%E4%BD%90%E8%97%A4&kind=employee&page=2')
  })
  it('asks the API for one page', () => {
    expect(subjectsPath(emptySubjectQuery())).toBe('/api/mynumber/subjects?page=1&per_page=50')
    expect(subjectsPath({ q: 'a', kind: 'partner', state: 'active', page: 2 })).toBe('/api/mynumber/subjects?q=a&kind=partner&state=active&page=2&per_page=50')
  })
})

describe('months', () => {
  it('in Japan time', () => {
    expect(monthOf(new Date('2026-10-31T15:30:00Z'))).toBe('2026-11')
    expect(previousMonth('2026-01')).toBe('2025-12')
    expect(previousMonth('2026-11')).toBe('2026-10')
    expect(isMonth('2026-11')).toBe(true)
    expect(isMonth('2026-13')).toBe(false)
  })
})

describe('the deletion confirmation', () => {
  const s = { id: 42, masked: '********9018' }
  it('wants the id and the last four again', () => {
    expect(deletionConfirmErrors(s, '42', '9018', '保存期間の経過')).toEqual({})
    expect(deletionConfirmErrors(s, '４２', '９０１８', 'x')).toEqual({})
    expect(deletionConfirmErrors(s, '', '', '')).toEqual({ confirm_id: 'requiredField', confirm_last4: 'requiredField', reason: 'requiredField' })
    expect(deletionConfirmErrors(s, '41', '9019', 'x')).toEqual({ confirm_id: 'mnConfirmIdMismatch', confirm_last4: 'mnConfirmLast4Mismatch' })
  })
  it('asks no digits of a subject without a number', () => {
    expect(deletionConfirmErrors({ id: 7, masked: null }, '7', '', 'x')).toEqual({})
  })
})

describe('the export file', () => {
  it('decodes base64', () => {
    expect(Array.from(base64ToBytes('UEsDBA=='))).toEqual([0x50, 0x4b, 0x03, 0x04])
  })
})

describe('My Number routes', () => {
  it('parses the hashes', () => {
    expect(routeFromHash('#/mynumber')).toEqual({ page: 'mynumber', view: 'subjects', query: '' })
    expect(routeFromHash('#/mynumber?kind=employee&page=2')).toEqual({ page: 'mynumber', view: 'subjects', query: 'kind=employee&page=2' })
    expect(routeFromHash('#/mynumber/new')).toEqual({ page: 'mynumber', view: 'new', query: '' })
    expect(routeFromHash('#/mynumber/subjects/12')).toEqual({ page: 'mynumberSubject', id: 12 })
    expect(routeFromHash('#/mynumber/queue')).toEqual({ page: 'mynumber', view: 'queue', query: '' })
    expect(routeFromHash('#/mynumber/report?month=2026-11')).toEqual({ page: 'mynumber', view: 'report', query: 'month=2026-11' })
    expect(routeFromHash('#/mynumber/about')).toEqual({ page: 'mynumber', view: 'about', query: '' })
  })
  it('keeps numbers out of the hash and refuses what is no page', () => {
    expect(routeFromHash('#/mynumber/subjects/0')).toEqual({ page: 'mynumber', view: 'subjects', query: '' })
    expect(routeFromHash('#/mynumber/subjects/abc')).toEqual({ page: 'mynumber', view: 'subjects', query: '' })
    expect(routeFromHash('#/mynumber/whatever')).toEqual({ page: 'mynumber', view: 'subjects', query: '' })
    expect(routeFromHash('#/mynumber/subjects/1/2')).toEqual({ page: 'mynumber', view: 'subjects', query: '' })
    // a query on a page that takes none is dropped
    expect(hashOf(routeFromHash('#/mynumber/new?number=123456789018'))).toBe('#/mynumber/new')
  })
  it('round-trips', () => {
    for (const h of [
      '#/mynumber',
      '#/mynumber?q=a&kind=employee',
      '#/mynumber/about',
      '#/mynumber/new',
      '#/mynumber/subjects/7',
      '#/mynumber/export',
      '#/mynumber/queue',
      '#/mynumber/scopes',
      '#/mynumber/grants',
      '#/mynumber/mistakes',
      '#/mynumber/report?month=2026-11',
      '#/mynumber/records',
      '#/mynumber/requests',
    ])
      expect(hashOf(routeFromHash(h))).toBe(h)
  })
  it('keeps the マイナンバー navigation item current; a list is one view whatever its query', () => {
    for (const h of ['#/mynumber', '#/mynumber/new', '#/mynumber/subjects/7', '#/mynumber/queue'])
      expect(sectionOf(routeFromHash(h).page)).toBe('mynumber')
    expect(viewKeyOf(routeFromHash('#/mynumber?page=3'))).toBe('#/mynumber')
    expect(viewKeyOf(routeFromHash('#/mynumber/report?month=2026-10'))).toBe('#/mynumber/report')
    expect(viewKeyOf(routeFromHash('#/mynumber/subjects/7'))).toBe('#/mynumber/subjects/7')
    expect(permissionFor('mynumber')).toBeUndefined()
  })
})
