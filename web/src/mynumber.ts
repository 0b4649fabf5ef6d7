// マイナンバー (特定個人情報): what the browser may know about My Numbers without holding one.
// Pure helpers (see mynumber.test.ts): the check digits of a 個人番号 and a 法人番号 (for the live
// indicator while typing; the server checks again), normalising what was typed, the masked form,
// who may do what, the list's query, months and dates. docs/internals/vault.md is the API.
import type { Lang } from './i18n'

// ---- the API's shapes ----

export const SUBJECT_KINDS = ['employee', 'dependant', 'partner', 'shareholder'] as const
export type SubjectKind = (typeof SUBJECT_KINDS)[number]
export const SUBJECT_STATES = ['active', 'deletion_requested', 'deleted'] as const
export type SubjectState = (typeof SUBJECT_STATES)[number]
export type NumberKind = 'individual' | 'corporate'

export type IdentityCheck = { number_document: string; identity_document: string; checked_by?: string; checked_at?: string }

/** A subject as the API gives it: never the number, only its masked form. */
export type Subject = {
  id: number
  kind: SubjectKind
  person_id?: number | null
  parent_id?: number | null
  name: string
  name_kana?: string | null
  relation?: string | null
  purposes: string[]
  number_kind?: NumberKind | null
  masked?: string | null
  identity_checks?: IdentityCheck[]
  use_ended_on?: string | null
  retention_end?: string | null
  state: SubjectState
  created_at?: string
  updated_at?: string
}

export type Purpose = { code: string; label: string; label_en?: string; kinds: string[] }

export type SubjectPage = { items: Subject[]; total: number; total_capped?: boolean; page: number; per_page: number }

// ---- the number as typed ----

const FULL_WIDTH_ZERO = 0xff10
/** What may stand between digit groups: the same set as the server's (src/vault/number.c). */
const SEPARATORS = [' ', '-', '\u3000', '\uff0d', '\u30fc', '\u2010', '\u2212']

/**
 * What was typed, as ASCII digits where it can be: full-width digits become ASCII, and the
 * separators people put between groups (spaces and hyphens, ASCII or full-width, ー, ‐, −) go. Anything else is kept, so that the caller can tell it is not a number.
 */
export function normaliseNumber(typed: string): string {
  let out = ''
  for (const ch of typed) {
    const c = ch.codePointAt(0)!
    if (c >= FULL_WIDTH_ZERO && c <= FULL_WIDTH_ZERO + 9) out += String.fromCharCode(48 + c - FULL_WIDTH_ZERO)
    else if (SEPARATORS.includes(ch)) continue
    else out += ch
  }
  return out
}

/**
 * The check digit of a 個人番号 from its first 11 digits (総務省令第85号 第5条):
 * 11 − (Σ Pn × Qn mod 11), or 0 when the remainder is 0 or 1; Pn is the n-th digit counted from
 * the right of the 11, Qn = n + 1 for n ≤ 6, n − 5 for n ≥ 7.
 */
export function individualCheckDigit(first11: string): number {
  if (!/^\d{11}$/.test(first11)) throw new RangeError('11 digits expected')
  let sum = 0
  for (let n = 1; n <= 11; n++) {
    const p = first11.charCodeAt(11 - n) - 48
    const q = n <= 6 ? n + 1 : n - 5
    sum += p * q
  }
  const r = sum % 11
  return r <= 1 ? 0 : 11 - r
}

/**
 * The check digit of a 法人番号 from its 12-digit 基礎番号 (法人番号の指定等に関する省令 第2条):
 * 9 − (Σ Pn × Qn mod 9); Pn is the n-th digit counted from the right of the 12, Qn = 1 for odd n and
 * 2 for even n. It stands first: the 法人番号 is the check digit followed by the 12 digits.
 */
export function corporateCheckDigit(base12: string): number {
  if (!/^\d{12}$/.test(base12)) throw new RangeError('12 digits expected')
  let sum = 0
  for (let n = 1; n <= 12; n++) {
    const p = base12.charCodeAt(12 - n) - 48
    sum += p * (n % 2 === 1 ? 1 : 2)
  }
  return 9 - (sum % 9)
}

/** 12 ASCII digits whose last is the right check digit. */
export function isValidIndividualNumber(digits: string): boolean {
  return /^\d{12}$/.test(digits) && individualCheckDigit(digits.slice(0, 11)) === digits.charCodeAt(11) - 48
}

/** 13 ASCII digits whose first is the right check digit. */
export function isValidCorporateNumber(digits: string): boolean {
  return /^\d{13}$/.test(digits) && corporateCheckDigit(digits.slice(1)) === digits.charCodeAt(0) - 48
}

/**
 * The live indicator next to the number field:
 * - empty: nothing typed;
 * - not_digits: something that is neither a digit nor a separator;
 * - short: fewer digits than a number has (`count` so far, `expected` 12 or 13);
 * - long: more digits than any number the subject may have;
 * - invalid: the right length but a wrong check digit;
 * - valid: a 個人番号 (12) or, for a partner, a 法人番号 (13).
 * It never carries the digits themselves.
 */
export type NumberCheck =
  | { status: 'empty' }
  | { status: 'not_digits' }
  | { status: 'short'; count: number; expected: number }
  | { status: 'long'; count: number; expected: number }
  | { status: 'invalid'; kind: NumberKind }
  | { status: 'valid'; kind: NumberKind }

/** Checks what was typed; a corporate (13-digit) number is allowed only when `corporateAllowed`. */
export function checkNumber(typed: string, corporateAllowed = false): NumberCheck {
  const d = normaliseNumber(typed)
  if (d === '') return { status: 'empty' }
  if (!/^\d+$/.test(d)) return { status: 'not_digits' }
  const max = corporateAllowed ? 13 : 12
  if (d.length < 12) return { status: 'short', count: d.length, expected: 12 }
  if (d.length > max) return { status: 'long', count: d.length, expected: max }
  if (d.length === 12) return { status: isValidIndividualNumber(d) ? 'valid' : 'invalid', kind: 'individual' }
  return { status: isValidCorporateNumber(d) ? 'valid' : 'invalid', kind: 'corporate' }
}

/**
 * Whether a text holds something that looks like a 個人番号: a run of 12 digits (ASCII or full-width,
 * single spaces or hyphens between groups allowed) with the right check digit, not part of a longer
 * run. The same rule as the server's (src/base/mynumber.c): a report of a number received by
 * mistake must not contain the number.
 */
export function textHasMyNumber(text: string): boolean {
  const chars = Array.from(text)
  const digitOf = (ch: string | undefined): number => {
    if (ch === undefined) return -1
    const c = ch.codePointAt(0)!
    if (c >= 48 && c <= 57) return c - 48
    if (c >= FULL_WIDTH_ZERO && c <= FULL_WIDTH_ZERO + 9) return c - FULL_WIDTH_ZERO
    return -1
  }
  const between = [' ', '-', '\u3000', '\uff0d', '\u30fc']
  let i = 0
  while (i < chars.length) {
    if (digitOf(chars[i]) < 0) {
      i++
      continue
    }
    let run = ''
    for (;;) {
      const d = digitOf(chars[i])
      if (d >= 0) {
        run += String(d)
        i++
      } else if (between.includes(chars[i]) && digitOf(chars[i + 1]) >= 0) {
        i++
      } else break
    }
    if (run.length === 12 && isValidIndividualNumber(run)) return true
  }
  return false
}

/** A partner may give a 13-digit 法人番号; everyone else has a 12-digit 個人番号. */
export function corporateAllowed(kind: SubjectKind | ''): boolean {
  return kind === 'partner'
}

/** The last four digits of what was typed (for the deletion confirmation), '' when there are fewer. */
export function lastFour(typed: string): string {
  const d = normaliseNumber(typed)
  return /^\d{4,}$/.test(d) ? d.slice(-4) : ''
}

// ---- showing numbers ----

/** The masked number as the API gives it ("********9018"), or "—" when the subject has none. */
export function maskedText(masked: string | null | undefined): string {
  return masked && masked.trim() !== '' ? masked : '—'
}

/** The last four digits shown in a masked number ("********9018" → "9018"). */
export function maskedTail(masked: string | null | undefined): string {
  const m = /(\d{4})$/.exec(masked ?? '')
  return m ? m[1] : ''
}

/**
 * A number shown while revealed, in groups of four for reading it aloud or copying it onto a
 * form: "123456789018" → "1234 5678 9018"; a 法人番号 "8700110005901" → "8 7001 1000 5901"
 * (its check digit apart).
 */
export function groupNumber(digits: string): string {
  const d = normaliseNumber(digits)
  if (!/^\d+$/.test(d)) return digits
  const head = d.length % 4
  const groups: string[] = head ? [d.slice(0, head)] : []
  for (let i = head; i < d.length; i += 4) groups.push(d.slice(i, i + 4))
  return groups.join(' ')
}

/** How long a revealed number stays on screen. */
export const REVEAL_SECONDS = 30

// ---- who may do what ----

export type Abilities = {
  /** masked lists, details and the handling record (handler, manager, auditor; IT staff with a grant) */
  list: boolean
  /** add subjects and numbers, 本人確認, deletion requests, requests from individuals (handler) */
  collect: boolean
  /** see a number in clear, export (handler, within the scope) */
  reveal: boolean
  /** scopes, grants, deletion approvals, mistake reports, access reports (manager) */
  manage: boolean
  /** a system administrator: may list only while the manager's grant is in force (the server knows) */
  itStaff: boolean
}

/**
 * What the UI offers, from the account's roles (GET /api/session) and the permissions of the role
 * catalogue (GET /api/roles) when it names mynumber.* ones. Only the server decides: this hides
 * what would be refused anyway.
 */
export function abilitiesOf(roles: readonly string[], permissions: ReadonlySet<string> = new Set()): Abilities {
  const has = (r: string) => roles.includes(r)
  const handler = has('mynumber_handler')
  const manager = has('mynumber_manager')
  return {
    list: permissions.has('mynumber.list') || handler || manager || has('auditor'),
    collect: permissions.has('mynumber.collect') || handler,
    reveal: permissions.has('mynumber.reveal') || handler,
    manage: permissions.has('mynumber.manage') || manager,
    itStaff: has('sysadmin'),
  }
}

// ---- purposes ----

/** The purposes that fit a kind of subject, in the profile's order. */
export function purposesForKind(purposes: readonly Purpose[], kind: SubjectKind | ''): Purpose[] {
  return kind === '' ? [] : purposes.filter((p) => p.kinds.includes(kind))
}

export function purposeLabel(code: string, purposes: readonly Purpose[], lang: Lang): string {
  const p = purposes.find((x) => x.code === code)
  if (!p) return code
  return lang === 'en' ? p.label_en || p.label : p.label
}

/** Keeps only the chosen purposes that still fit the kind (after the kind changed). */
export function keepFitting(chosen: readonly string[], purposes: readonly Purpose[], kind: SubjectKind | ''): string[] {
  const fit = new Set(purposesForKind(purposes, kind).map((p) => p.code))
  return chosen.filter((c) => fit.has(c))
}

// ---- 本人確認 documents (番号法 第16条, 施行規則) ----

/** 番号確認: the documents that show the number. */
export const NUMBER_DOCUMENTS = ['individual_number_card', 'notification_card', 'resident_record'] as const
/** 身元確認: the documents that show the person is who they say. */
export const IDENTITY_DOCUMENTS = [
  'individual_number_card',
  'drivers_license',
  'passport',
  'residence_card',
  'health_insurance_card',
  'pension_book',
  'employer_known',
] as const

// ---- the list's query (#/mynumber?q=&kind=&state=&page=) ----

export const SUBJECTS_PER_PAGE = 50

export type SubjectQuery = { q: string; kind: SubjectKind | ''; state: SubjectState | ''; page: number }

export const emptySubjectQuery = (): SubjectQuery => ({ q: '', kind: '', state: '', page: 1 })

export function parseSubjectQuery(query: string): SubjectQuery {
  const p = new URLSearchParams(query)
  const kind = p.get('kind') ?? ''
  const state = p.get('state') ?? ''
  const page = Number(p.get('page') ?? '1')
  return {
    q: p.get('q') ?? '',
    kind: (SUBJECT_KINDS as readonly string[]).includes(kind) ? (kind as SubjectKind) : '',
    state: (SUBJECT_STATES as readonly string[]).includes(state) ? (state as SubjectState) : '',
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
  }
}

/** The query string of a list state (only what differs from the defaults). */
export function subjectQueryString(s: SubjectQuery): string {
  const p = new URLSearchParams()
  if (s.q.trim() !== '') p.set('q', s.q.trim())
  if (s.kind) p.set('kind', s.kind)
  if (s.state) p.set('state', s.state)
  if (s.page > 1) p.set('page', String(s.page))
  return p.toString()
}

export function subjectsHash(s: SubjectQuery): string {
  const q = subjectQueryString(s)
  return q ? `#/mynumber?${q}` : '#/mynumber'
}

export function subjectsPath(s: SubjectQuery, perPage = SUBJECTS_PER_PAGE): string {
  const p = new URLSearchParams(subjectQueryString({ ...s, page: 1 }))
  p.set('page', String(s.page))
  p.set('per_page', String(perPage))
  return `/api/mynumber/subjects?${p.toString()}`
}

// ---- months and dates (Japan time) ----

const JST_MS = 9 * 3600 * 1000

/** "2026-11": the month of a moment in Japan time. */
export function monthOf(d: Date): string {
  return new Date(d.getTime() + JST_MS).toISOString().slice(0, 7)
}

/** The month before ("2026-01" → "2025-12"): the monthly review looks at the month just ended. */
export function previousMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) return month
  const y = Number(m[1])
  const mo = Number(m[2])
  return mo === 1 ? `${y - 1}-12` : `${m[1]}-${String(mo - 1).padStart(2, '0')}`
}

export function isMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s)
}

// ---- the deletion request's second confirmation ----

/**
 * What the handler typed again before asking for a deletion: the subject's id and the last four
 * digits shown in the masked number. Field name → message key of what is wrong.
 */
export function deletionConfirmErrors(
  subject: Pick<Subject, 'id' | 'masked'>,
  confirmId: string,
  confirmLast4: string,
  reason: string,
): Record<string, 'requiredField' | 'mnConfirmIdMismatch' | 'mnConfirmLast4Mismatch'> {
  const out: Record<string, 'requiredField' | 'mnConfirmIdMismatch' | 'mnConfirmLast4Mismatch'> = {}
  const id = normaliseNumber(confirmId)
  if (id === '') out.confirm_id = 'requiredField'
  else if (id !== String(subject.id)) out.confirm_id = 'mnConfirmIdMismatch'
  const tail = maskedTail(subject.masked)
  const last4 = normaliseNumber(confirmLast4)
  if (tail !== '') {
    if (last4 === '') out.confirm_last4 = 'requiredField'
    else if (last4 !== tail) out.confirm_last4 = 'mnConfirmLast4Mismatch'
  }
  if (reason.trim() === '') out.reason = 'requiredField'
  return out
}

// ---- the export file ----

/** The bytes of a base64 text (the export's ZIP). */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64.replace(/\s+/g, ''))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
