import { describe, expect, it } from 'vitest'
import {
  approvalStateInfo,
  effectOf,
  emptyRequestForm,
  payloadRows,
  requestableTypes,
  requestBody,
  requestFields,
  requestForRecord,
  routeLines,
  routeSteps,
  snapshotRows,
  subjectHref,
  type ApprovalType,
} from './approvals'
import { hashOf, routeFromHash, sectionOf } from './routes'

describe('approvals', () => {
  it('links a register subject to its record', () => {
    expect(subjectHref('register:takeouts:12')).toBe('#/ledgers/takeouts/12')
    expect(subjectHref('新しいPC')).toBeUndefined()
    expect(subjectHref('register:takeouts:0')).toBeUndefined()
  })

  it('routes #/approvals/ID', () => {
    expect(routeFromHash('#/approvals')).toEqual({ page: 'approvals' })
    expect(routeFromHash('#/approvals/7')).toEqual({ page: 'approval', id: 7 })
    expect(routeFromHash('#/approvals/x')).toEqual({ page: 'approvals' })
    expect(routeFromHash('#/approvals/new')).toEqual({ page: 'approvalNew' })
    expect(routeFromHash('#/approvals/new/x')).toEqual({ page: 'approvals' })
    expect(hashOf({ page: 'approvalNew' })).toBe('#/approvals/new')
    expect(sectionOf('approvalNew')).toBe('approvals')
    expect(hashOf({ page: 'approval', id: 7 })).toBe('#/approvals/7')
    expect(sectionOf('approval')).toBe('approvals')
  })

  it('shows a snapshot as rows', () => {
    expect(snapshotRows({ kind: 'record', register: 'takeouts', record: { id: 1, item: 'USB', notes: null, _labels: {} } })).toEqual([
      ['id', '1'],
      ['item', 'USB'],
    ])
    expect(snapshotRows({ kind: 'text', subject: 's', title: 't', detail: '' })).toEqual([['title', 't']])
    expect(snapshotRows(null)).toEqual([])
  })

  it('makes the request of a new take-out', () => {
    expect(requestForRecord('takeouts', { id: 3, item_class: 'internal', takeout_no: 'T-1', item: 'USB', planned_takeout: '2027-04-02' })).toEqual({
      type: 'takeout',
      class: 'internal',
      subject: 'register:takeouts:3',
      title: '持出 T-1（USB）',
      due_on: '2027-04-02',
    })
    expect(requestForRecord('devices', { id: 3 })).toBeNull()
  })

  it('labels states', () => {
    expect(approvalStateInfo('pending')?.label).toBe('apPending')
    expect(approvalStateInfo('x')).toBeUndefined()
  })

  const types: ApprovalType[] = [
    { code: 'account_issuance', title: 'アカウント発行', title_en: 'Account issuance', source: '004 ch5 §3', classes: [], routes: [{ class: null, keys: ['account.issuance_approvers'], steps: [['ceo', 'security_officer']] }] },
    {
      code: 'takeout',
      title: '持出し',
      title_en: 'Take-out',
      source: '004 ch3 §2',
      classes: ['internal', 'secret'],
      routes: [
        { class: 'internal', keys: ['takeout.approver_confidential'], steps: [['dept_head']] },
        { class: 'secret', keys: ['takeout.approver_secret'], steps: [['ceo']] },
      ],
    },
    { code: 'remote_access', title: 'リモートアクセス', title_en: 'Remote access', source: '004 ch7 §2', classes: [], routes: [{ class: null, keys: ['a', 'b'], steps: [['dept_head'], ['sysadmin']] }] },
    { code: 'mynumber_deletion', title: '削除', title_en: 'Deletion', source: '003 §6.5', classes: [], routes: [{ class: null, keys: ['x'], steps: [['mynumber_manager']] }] },
    { code: 'vendor_selection', title: '委託先の選定', title_en: 'Vendor selection', source: '004 ch9 §1.2', classes: [], routes: [{ class: null, keys: ['x'], steps: [] }] },
  ]

  it('offers in the form only the types not requested by their own module', () => {
    expect(requestableTypes(types).map((x) => x.code)).toEqual(['account_issuance', 'remote_access', 'vendor_selection'])
  })

  it('finds the route of a type and class, and says who decides each step', () => {
    expect(routeSteps(types[0], '')).toEqual([['ceo', 'security_officer']])
    expect(routeSteps(types[1], 'secret')).toEqual([['ceo']])
    expect(routeSteps(types[1], '')).toBeUndefined() // a class is needed
    expect(routeSteps(types[4], '')).toEqual([]) // the profile names no approver
    expect(routeSteps(undefined, '')).toBeUndefined()
    const role = (k: string) => ({ ceo: '代表取締役', security_officer: '情報セキュリティ責任者', dept_head: '部門長', sysadmin: 'システム管理者' })[k] ?? k
    const text = { step: '{step}段階目：{roles}', or: ' または ' }
    expect(routeLines(routeSteps(types[0], ''), role, text)).toEqual(['代表取締役 または 情報セキュリティ責任者'])
    expect(routeLines(routeSteps(types[2], ''), role, text)).toEqual(['1段階目：部門長', '2段階目：システム管理者'])
    expect(routeLines(undefined, role, text)).toEqual([])
  })

  it('lists the form fields in order, the payload fields last', () => {
    expect(requestFields('media_copy')).toEqual(['type', 'class', 'subject', 'title', 'detail', 'due_on'])
    expect(requestFields('account_issuance').slice(-3)).toEqual(['person_id', 'login', 'roles'])
    expect(requestFields('mynumber_it_access').slice(-3)).toEqual(['login', 'reason', 'ends_at'])
  })

  it('builds the body of a request: trimmed texts, no empty optional ones, no payload for plain types', () => {
    const f = { ...emptyRequestForm(), type: 'media_copy', subject: ' USBメモリ ', title: ' 見積資料の複製 ', detail: '  ', login: 'ignored' }
    expect(requestBody(f)).toEqual({ type: 'media_copy', subject: 'USBメモリ', title: '見積資料の複製' })
    expect(requestBody({ ...f, class: 'internal', detail: ' 2部 ', due_on: '2027-04-10' })).toEqual({
      type: 'media_copy',
      class: 'internal',
      subject: 'USBメモリ',
      title: '見積資料の複製',
      detail: '2部',
      due_on: '2027-04-10',
    })
  })

  it('builds the payload of an account issuance', () => {
    const f = { ...emptyRequestForm(), type: 'account_issuance', subject: '新入社員', title: '4月入社', person_id: '12', login: ' shinnyu ', roles: ['employee', 'dept_head'] }
    expect(requestBody(f).payload).toEqual({ person_id: 12, login: 'shinnyu', roles: ['employee', 'dept_head'] })
    // no person chosen (or not a number): left out, so the server names the field
    expect(requestBody({ ...f, person_id: '' }).payload).toEqual({ login: 'shinnyu', roles: ['employee', 'dept_head'] })
    expect(requestBody({ ...f, person_id: 'x1' }).payload).toEqual({ login: 'shinnyu', roles: ['employee', 'dept_head'] })
    expect(emptyRequestForm().roles).toEqual(['employee'])
  })

  it('builds the payload of IT-staff access: the end in Japan time as UTC, the login only when given', () => {
    const f = { ...emptyRequestForm(), type: 'mynumber_it_access', subject: '特定個人情報ファイル', title: 'サーバ移行', reason: ' 移行の確認 ', ends_at: '2027-04-01T18:00' }
    expect(requestBody(f).payload).toEqual({ reason: '移行の確認', ends_at: '2027-04-01T09:00:00Z' })
    expect(requestBody({ ...f, login: ' it1 ', ends_at: '' }).payload).toEqual({ reason: '移行の確認', login: 'it1' })
  })

  it('shows a payload as rows', () => {
    const names = {
      person: (id: number) => (id === 12 ? '新入 社員（N0001）' : null),
      role: (k: string) => ({ employee: '従業員', dept_head: '部門長' })[k] ?? k,
      when: (iso: string) => `at ${iso}`,
      list: (items: string[]) => items.join('、'),
    }
    expect(payloadRows('account_issuance', { person_id: 12, login: 'shinnyu', roles: ['employee', 'dept_head'] }, names)).toEqual([
      { field: 'person_id', label: 'apPayloadPerson', text: '新入 社員（N0001）' },
      { field: 'login', label: 'login', text: 'shinnyu' },
      { field: 'roles', label: 'roles', text: '従業員、部門長' },
    ])
    // a person the reader cannot resolve: the id
    expect(payloadRows('account_issuance', { person_id: 7, login: 'a1', roles: [] }, names)).toEqual([
      { field: 'person_id', label: 'apPayloadPerson', text: '#7' },
      { field: 'login', label: 'login', text: 'a1' },
    ])
    expect(payloadRows('mynumber_it_access', { login: 'it1', reason: '確認', ends_at: '2027-04-01T09:00:00Z' }, names)).toEqual([
      { field: 'login', label: 'apPayloadAccount', text: 'it1' },
      { field: 'reason', label: 'apPayloadReason', text: '確認' },
      { field: 'ends_at', label: 'apPayloadEndsAt', text: 'at 2027-04-01T09:00:00Z' },
    ])
    expect(payloadRows('mynumber_deletion', { deletion_id: 3, subject_id: 41 }, names)).toEqual([
      { field: 'subject_id', label: 'apPayloadSubject', text: '#41', href: '#/mynumber/subjects/41' },
    ])
    expect(payloadRows('mynumber_deletion', { subject_id: '41/../x' }, names)).toEqual([])
    expect(payloadRows('media_copy', { a: 1 }, names)).toEqual([])
    expect(payloadRows('account_issuance', null, names)).toEqual([])
    expect(payloadRows('account_issuance', [], names)).toEqual([])
  })

  it('says what approving does only for the types whose approval acts', () => {
    expect(effectOf('account_issuance')).toBe('apEffectAccount')
    expect(effectOf('mynumber_it_access')).toBe('apEffectGrant')
    expect(effectOf('mynumber_deletion')).toBe('apEffectDeletion')
    expect(effectOf('media_copy')).toBeUndefined()
  })
})
