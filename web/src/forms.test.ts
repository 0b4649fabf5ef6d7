import { describe, expect, it } from 'vitest'
import { ApiError } from './api'
import { permissionsOf, problemText, roleLabel, setupStep, type Role, type Session } from './auth'
import {
  emptyPerson,
  fieldErrors,
  firstInvalid,
  groupSecret,
  isoDateToDisplay,
  normaliseCode,
  PERSON_FIELDS,
  personBody,
  ruleRows,
  saveErrors,
  svgDataUri,
} from './forms'
import { fmt } from './i18n'
import { hashOf, permissionFor, routeFromHash } from './routes'

const problem422 = new ApiError(422, {
  status: 422,
  title: 'Invalid input',
  errors: [
    { field: 'name_kana', rule: 'kana', message: 'name_kana: must be kana', message_ja: 'フリガナ: カタカナまたはひらがなで入力してください' },
    { field: 'employee_no', rule: 'required', message: 'employee_no: is required', message_ja: '社員番号: 必須です' },
    { field: 'nonsense', rule: 'unknown', message: 'nonsense: is not a field of a person', message_ja: 'nonsense: この項目はありません' },
  ],
})

describe('field errors', () => {
  it('groups the server errors by field, in the UI language', () => {
    expect(fieldErrors(problem422, 'ja', PERSON_FIELDS)).toEqual({
      name_kana: ['フリガナ: カタカナまたはひらがなで入力してください'],
      employee_no: ['社員番号: 必須です'],
      '': ['nonsense: この項目はありません'],
    })
    expect(fieldErrors(problem422, 'en', PERSON_FIELDS).name_kana).toEqual(['name_kana: must be kana'])
  })
  it('has nothing for other errors', () => {
    expect(fieldErrors(new Error('x'), 'ja')).toEqual({})
  })
  it('after a failed save: fields with a summary above, or the fallback alone', () => {
    const only = new ApiError(422, { status: 422, title: 'x', errors: [{ field: 'name_kana', rule: 'kana', message: 'm', message_ja: 'カナで' }] })
    expect(saveErrors(only, 'ja', PERSON_FIELDS, 'だめ', '入力を確認')).toEqual({ name_kana: ['カナで'], '': ['入力を確認'] })
    // an error that names no known field keeps its own text above the form
    expect(saveErrors(problem422, 'ja', PERSON_FIELDS, 'だめ', '入力を確認')['']).toEqual(['nonsense: この項目はありません'])
    expect(saveErrors(new ApiError(422, { status: 422, title: 'x' }), 'ja', PERSON_FIELDS, 'だめ', '入力を確認')).toEqual({ '': ['だめ'] })
    expect(saveErrors(new ApiError(403, { status: 403, title: 'x' }), 'ja', PERSON_FIELDS, 'だめ', '入力を確認')).toEqual({ '': ['だめ'] })
  })
  it('finds the first invalid field in form order, not in server order', () => {
    const e = fieldErrors(problem422, 'ja', PERSON_FIELDS)
    expect(firstInvalid(PERSON_FIELDS, e)).toBe('employee_no')
    expect(firstInvalid(PERSON_FIELDS, {})).toBeUndefined()
  })
})

describe('second factor', () => {
  it('groups the secret by four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')
    expect(groupSecret('ABCDEF')).toBe('ABCD EF')
  })
  it('makes an SVG an img data: URL (UTF-8 safe)', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>二要素</title></svg>'
    const uri = svgDataUri(svg)
    expect(uri.startsWith('data:image/svg+xml;base64,')).toBe(true)
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(uri.split(',')[1]), (c) => c.charCodeAt(0)))
    expect(decoded).toBe(svg)
  })
  it('normalises typed codes', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456')
    expect(normaliseCode('123-456')).toBe('123456')
    expect(normaliseCode(' abcd-efgh ')).toBe('abcd-efgh') // a recovery code stays as typed
  })
})

describe('password rules', () => {
  const rules = [
    { rule: 'min_length', text: '12文字以上', text_en: 'at least 12 characters' },
    { rule: 'classes', text: '4種類', text_en: '4 kinds' },
  ]
  it('are unchecked before the first check', () => {
    expect(ruleRows(rules, null).map((r) => r.met)).toEqual([null, null])
  })
  it('follow the check, which may add rules (history)', () => {
    const checked = [
      { ...rules[0], met: true },
      { ...rules[1], met: false },
      { rule: 'history', text: '過去のものと違う', text_en: 'not reused', met: true },
    ]
    expect(ruleRows(rules, checked).map((r) => [r.rule, r.met])).toEqual([
      ['min_length', true],
      ['classes', false],
      ['history', true],
    ])
  })
})

describe('people', () => {
  it('sends only the fields filled in when creating', () => {
    const v = { ...emptyPerson(), employee_no: ' A-1 ', name: '山田 太郎', employment_type: 'regular' }
    expect(personBody(v)).toEqual({ employee_no: 'A-1', name: '山田 太郎', employment_type: 'regular' })
  })
  it('sends only the changes when editing; an emptied field is null', () => {
    const original = { ...emptyPerson(), employee_no: 'A-1', name: '山田', department: '総務', joined_on: '2026-04-01' }
    const v = { ...original, name: '山田 太郎', department: '', joined_on: '2026-04-01' }
    expect(personBody(v, original)).toEqual({ name: '山田 太郎', department: null })
  })
  it('shows dates as 2026/04/01', () => {
    expect(isoDateToDisplay('2026-04-01')).toBe('2026/04/01')
    expect(isoDateToDisplay(null)).toBe('')
  })
})

describe('session and roles', () => {
  const catalogue: Role[] = [
    { key: 'security_officer', label: '情報セキュリティ責任者', label_en: 'Security officer', privileged: true, permissions: ['self', 'people.read', 'accounts.issue'] },
    { key: 'auditor', label: '監査・点検責任者', label_en: 'Auditor', privileged: false, permissions: ['self', 'people.read', 'accounts.read'] },
    { key: 'employee', label: '従業員', label_en: 'Employee', privileged: false, permissions: ['self'] },
  ]
  it('unions the permissions of the roles held', () => {
    expect([...permissionsOf(['employee'], catalogue)]).toEqual(['self'])
    expect([...permissionsOf(['security_officer', 'auditor'], catalogue)].sort()).toEqual(['accounts.issue', 'accounts.read', 'people.read', 'self'])
    expect(permissionsOf(['security_officer'], []).size).toBe(0)
  })
  it('labels roles in the UI language', () => {
    expect(roleLabel('auditor', catalogue, 'ja')).toBe('監査・点検責任者')
    expect(roleLabel('auditor', catalogue, 'en')).toBe('Auditor')
    expect(roleLabel('new_role', catalogue, 'ja')).toBe('new_role')
  })
  it('sends a restricted session to its first step', () => {
    const s = (must: boolean, mfa: boolean): Session => ({
      account: { id: 1, login: 'officer', roles: [], privileged: true, must_change_password: must, mfa_enrolment_required: mfa, mfa_enabled: false },
      idle_timeout_seconds: 300,
      idle_warning_seconds: 60,
      lifetime_seconds: 43200,
      password_rules: [],
    })
    expect(setupStep(s(true, true))).toBe('password')
    expect(setupStep(s(false, true))).toBe('mfa')
    expect(setupStep(s(false, false))).toBeNull()
  })
  it('uses the server words for the end of a session', () => {
    const p = { status: 401, rule: 'idle_timeout', detail: 'signed out after the idle timeout', detail_ja: '一定時間操作がなかったため、ログアウトしました' }
    expect(problemText(p, 'ja')).toBe('一定時間操作がなかったため、ログアウトしました')
    expect(problemText(p, 'en')).toBe('signed out after the idle timeout')
    expect(problemText({ status: 401 }, 'ja')).toBeUndefined()
  })
})

describe('routes', () => {
  it('parses the hash', () => {
    expect(routeFromHash('')).toEqual({ page: 'dashboard' })
    expect(routeFromHash('#/duties')).toEqual({ page: 'duties', query: '' })
    expect(routeFromHash('#/duties?state=overdue')).toEqual({ page: 'duties', query: 'state=overdue' })
    expect(routeFromHash('#/admin/people')).toEqual({ page: 'people' })
    expect(routeFromHash('#/admin/people/new')).toEqual({ page: 'personNew' })
    expect(routeFromHash('#/admin/people/12')).toEqual({ page: 'personEdit', id: 12 })
    expect(routeFromHash('#/admin/people/012')).toEqual({ page: 'people' })
    expect(routeFromHash('#/admin/accounts?x=1')).toEqual({ page: 'accounts' })
    expect(routeFromHash('#/nowhere')).toEqual({ page: 'dashboard' })
  })
  it('round-trips', () => {
    for (const h of ['#/dashboard', '#/password', '#/admin/people', '#/admin/people/new', '#/admin/people/7', '#/admin/accounts', '#/duties', '#/duties?state=due'])
      expect(hashOf(routeFromHash(h))).toBe(h)
  })
  it('names the permission each admin page needs', () => {
    expect(permissionFor('people')).toBe('people.read')
    expect(permissionFor('personEdit')).toBe('people.write')
    expect(permissionFor('accounts')).toBe('accounts.read')
    expect(permissionFor('duties')).toBe('duties.read')
    expect(permissionFor('dashboard')).toBeUndefined()
  })
})

describe('fmt', () => {
  it('fills placeholders', () => {
    expect(fmt('あと {seconds} 秒', { seconds: 42 })).toBe('あと 42 秒')
    expect(fmt('{login} の {missing}', { login: 'officer' })).toBe('officer の {missing}')
  })
})
