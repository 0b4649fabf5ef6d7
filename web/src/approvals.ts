// 申請・承認: the approval engine's requests (GET/POST /api/approvals, docs/internals/approvals.md).
// Pure helpers; see approvals.test.ts.
import { fmt, type MessageKey } from './i18n'
import { localInputToUtc } from './registers'

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'withdrawn'

export type ApprovalDecision = {
  step: number
  role: string
  decided_by: string
  decided_at: string
  decision: 'approved' | 'rejected' | string
  comment: string
  snapshot?: unknown
}

export type Approval = {
  id: number
  type: string
  type_title: string
  type_title_en: string
  class: string
  subject: string
  title: string
  detail: string | null
  steps: number
  current_step: number
  step_roles: string[]
  requested_by: string
  requested_at: string
  due_on: string | null
  due_at: string | null
  state: ApprovalState | string
  overdue: boolean
  closed_at: string | null
  closed_by: string | null
  route: string[][]
  /** What the approval acts on (account_issuance, mynumber_it_access, mynumber_deletion); {} otherwise. */
  payload?: Record<string, unknown>
  snapshot?: Record<string, unknown>
  decisions?: ApprovalDecision[]
}

/** What a decision did, when it acted (POST /api/approvals/{id}/decisions). */
export type DecisionResult = {
  /** The issued account; the one-time password is in this answer only, never stored with the request. */
  account?: { id: number; login: string; password: string }
  grant?: { id: number; login: string; ends_at: string }
  deletion?: { id: number; subject_id: number; state: string }
}

export type DecisionAnswer = Approval & { result?: DecisionResult }

/** One request type of GET /api/approvals/types: its regulation and, per class, the roles of each step. */
export type ApprovalType = {
  code: string
  title: string
  title_en: string
  source: string
  classes?: string[]
  routes: { class: string | null; keys: string[]; steps: string[][] }[]
}

export type ApprovalList = { at: string; box: Box; items: Approval[] }

export const BOXES = ['inbox', 'mine', 'all'] as const
export type Box = (typeof BOXES)[number]

/** The state's label and colour. */
export function approvalStateInfo(state: string): { label: MessageKey; type: 'grey' | 'blue' | 'green' | 'red' } | undefined {
  switch (state) {
    case 'pending':
      return { label: 'apPending', type: 'blue' }
    case 'approved':
      return { label: 'apApproved', type: 'green' }
    case 'rejected':
      return { label: 'apRejected', type: 'red' }
    case 'withdrawn':
      return { label: 'apWithdrawn', type: 'grey' }
    default:
      return undefined
  }
}

/** The subject "register:NAME:ID" of a ledger record. */
export function subjectOf(ledger: string, id: number): string {
  return `register:${ledger}:${id}`
}

/** The record page of a subject "register:NAME:ID"; undefined for free text. */
export function subjectHref(subject: string): string | undefined {
  const m = /^register:([a-z][a-z_]*):([1-9]\d{0,15})$/.exec(subject)
  return m ? `#/ledgers/${m[1]}/${m[2]}` : undefined
}

/** A snapshot as key/value rows: a ledger record's fields, or the request's own words. */
export function snapshotRows(snapshot: unknown): [string, string][] {
  if (!snapshot || typeof snapshot !== 'object') return []
  const s = snapshot as Record<string, unknown>
  const obj = s.kind === 'record' && s.record && typeof s.record === 'object' ? (s.record as Record<string, unknown>) : s.kind === 'text' ? { title: s.title, detail: s.detail } : s
  const rows: [string, string][] = []
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('_') || v === null || v === undefined || v === '') continue
    rows.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)])
  }
  return rows
}

/**
 * The engine request a new ledger record needs (a take-out: type takeout, its class), or null.
 * The title names the record; the due date is the planned take-out date.
 */
export function requestForRecord(ledger: string, record: Record<string, unknown>): { type: string; class: string; subject: string; title: string; due_on?: string } | null {
  if (ledger !== 'takeouts' || typeof record.id !== 'number' || typeof record.item_class !== 'string') return null
  const no = typeof record.takeout_no === 'string' ? record.takeout_no : `#${record.id}`
  const item = typeof record.item === 'string' && record.item ? `（${record.item}）` : ''
  const out: { type: string; class: string; subject: string; title: string; due_on?: string } = {
    type: 'takeout',
    class: record.item_class,
    subject: subjectOf(ledger, record.id),
    title: `持出 ${no}${item}`,
  }
  if (typeof record.planned_takeout === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(record.planned_takeout)) out.due_on = record.planned_takeout
  return out
}

// ---- a new request: the form (申請・承認 → 新しい申請) ----

/**
 * Types requested by their own module, not by the form: a take-out by saving it on the take-out
 * ledger (the server makes its request), a My Number deletion from the subject's page with the
 * double confirmation (POST /api/approvals refuses it: module_only).
 */
export const MODULE_TYPES: readonly string[] = ['takeout', 'mynumber_deletion']

/** The types a person may ask for through the form. */
export function requestableTypes(types: readonly ApprovalType[]): ApprovalType[] {
  return types.filter((t) => !MODULE_TYPES.includes(t.code))
}

/** The roles of each step of a type (of its class, when it has classes); undefined: no such route. */
export function routeSteps(type: ApprovalType | undefined, cls: string): string[][] | undefined {
  if (!type) return undefined
  const classed = (type.classes ?? []).length > 0
  const route = type.routes.find((r) => (classed ? r.class === cls : r.class === null || r.class === ''))
  return route?.steps
}

/** The fields the form has, in order; those after due_on are the payload's (their errors name them). */
export function requestFields(type: string): string[] {
  const base = ['type', 'class', 'subject', 'title', 'detail', 'due_on']
  if (type === 'account_issuance') return [...base, 'person_id', 'login', 'roles']
  if (type === 'mynumber_it_access') return [...base, 'login', 'reason', 'ends_at']
  return base
}

export type RequestForm = {
  type: string
  class: string
  subject: string
  title: string
  detail: string
  /** YYYY-MM-DD, a Japan date (input type=date) */
  due_on: string
  // account_issuance
  person_id: string
  login: string
  roles: string[]
  // mynumber_it_access (login: the account to give access to; empty: the requester)
  reason: string
  /** YYYY-MM-DDTHH:MM in Japan time (input type=datetime-local) */
  ends_at: string
}

export function emptyRequestForm(): RequestForm {
  return { type: '', class: '', subject: '', title: '', detail: '', due_on: '', person_id: '', login: '', roles: ['employee'], reason: '', ends_at: '' }
}

/**
 * The body of POST /api/approvals: the texts trimmed, the empty optional ones left out (so the
 * server names a missing required one), and the payload of a type whose approval acts.
 */
export function requestBody(f: RequestForm): Record<string, unknown> {
  const out: Record<string, unknown> = { type: f.type, subject: f.subject.trim(), title: f.title.trim() }
  if (f.class) out.class = f.class
  if (f.detail.trim()) out.detail = f.detail.trim()
  if (f.due_on) out.due_on = f.due_on
  if (f.type === 'account_issuance') {
    const p: Record<string, unknown> = { login: f.login.trim(), roles: f.roles }
    if (/^\d+$/.test(f.person_id.trim())) p.person_id = Number(f.person_id.trim())
    out.payload = p
  } else if (f.type === 'mynumber_it_access') {
    const p: Record<string, unknown> = { reason: f.reason.trim() }
    const ends = localInputToUtc(f.ends_at)
    if (ends) p.ends_at = ends
    if (f.login.trim()) p.login = f.login.trim()
    out.payload = p
  }
  return out
}

/** One row of what an approval acts on: its label (a catalogue key), the text, perhaps a link. */
export type PayloadRow = { field: string; label: MessageKey; text: string; href?: string }

const ID_RE = /^[1-9]\d{0,15}$/

/**
 * A request's payload as rows for its page. `person` names a person id (null: unknown here, the
 * id is shown), `role` a role key, `when` an instant. Unknown types and empty payloads give none.
 */
export function payloadRows(
  type: string,
  payload: unknown,
  names: { person: (id: number) => string | null; role: (key: string) => string; when: (iso: string) => string; list: (items: string[]) => string },
): PayloadRow[] {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return []
  const p = payload as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')
  const rows: PayloadRow[] = []
  const add = (field: string, label: MessageKey, text: string, href?: string) => {
    if (text !== '') rows.push(href ? { field, label, text, href } : { field, label, text })
  }
  if (type === 'account_issuance') {
    const id = typeof p.person_id === 'number' ? p.person_id : NaN
    add('person_id', 'apPayloadPerson', Number.isFinite(id) ? (names.person(id) ?? `#${id}`) : '')
    add('login', 'login', str(p.login))
    const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : []
    add('roles', 'roles', names.list(roles.map(names.role)))
  } else if (type === 'mynumber_it_access') {
    add('login', 'apPayloadAccount', str(p.login))
    add('reason', 'apPayloadReason', str(p.reason))
    add('ends_at', 'apPayloadEndsAt', typeof p.ends_at === 'string' ? names.when(p.ends_at) : '')
  } else if (type === 'mynumber_deletion') {
    const sid = str(p.subject_id)
    if (ID_RE.test(sid)) add('subject_id', 'apPayloadSubject', `#${sid}`, `#/mynumber/subjects/${sid}`)
  }
  return rows
}

/** The sentence saying what approving this type does; undefined for types whose approval only records. */
export function effectOf(type: string): MessageKey | undefined {
  switch (type) {
    case 'account_issuance':
      return 'apEffectAccount'
    case 'mynumber_it_access':
      return 'apEffectGrant'
    case 'mynumber_deletion':
      return 'apEffectDeletion'
    default:
      return undefined
  }
}

/**
 * Who decides, one line per step: "社長 または 情報セキュリティ責任者"; with more than one step each
 * line names its step ("1段階目：部門長"). Empty: the profile names no approver.
 */
export function routeLines(steps: readonly (readonly string[])[] | undefined, role: (key: string) => string, text: { step: string; or: string }): string[] {
  if (!steps) return []
  const lines = steps.map((roles) => roles.map(role).join(text.or))
  return steps.length > 1 ? lines.map((roles, i) => fmt(text.step, { step: i + 1, roles })) : lines
}
