// What the API says about the signed-in account, people and accounts, and what the UI derives
// from it (permissions, messages). Pure functions: tested in auth.test.ts.
import type { Problem } from './api'
import type { Lang } from './i18n'

export type PasswordRule = { rule: string; text: string; text_en: string }
export type PasswordRuleCheck = PasswordRule & { met: boolean }

export type SessionAccount = {
  id: number
  login: string
  roles: string[]
  privileged: boolean
  must_change_password: boolean
  mfa_enrolment_required: boolean
  mfa_enabled: boolean
}

export type Session = {
  account: SessionAccount
  idle_timeout_seconds: number
  idle_warning_seconds: number
  lifetime_seconds: number
  password_rules: PasswordRule[]
  csrf_token?: string
}

export type Role = { key: string; label: string; label_en: string; privileged: boolean; permissions: string[] }

export const EMPLOYMENT_TYPES = ['officer', 'regular', 'contract', 'dispatch', 'part_time', 'external'] as const
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number]

export type Person = {
  id: number
  employee_no: string
  name: string
  name_kana: string
  department?: string | null
  employment_type: EmploymentType
  joined_on?: string | null
  left_on?: string | null
  nda_on?: string | null
  phone?: string | null
  birthday?: string | null
  email?: string | null
  account_login?: string | null
}

export const ACCOUNT_STATES = ['active', 'locked', 'must_change_password', 'disabled'] as const
export type AccountState = (typeof ACCOUNT_STATES)[number]

export type Account = {
  id: number
  login: string
  person_id: number | null
  person_name: string | null
  roles: string[]
  privileged: boolean
  state: AccountState
  mfa_enabled: boolean
  locked_until?: string | null
  disabled_at?: string | null
  created_at: string
}

/** Which screen a session must see first: the forced password change, the second factor, or none. */
export function setupStep(s: Session): 'password' | 'mfa' | null {
  if (s.account.must_change_password) return 'password'
  if (s.account.mfa_enrolment_required) return 'mfa'
  return null
}

/** The permissions of an account: the union of its roles' permissions (GET /api/roles). */
export function permissionsOf(accountRoles: readonly string[], catalogue: readonly Role[]): Set<string> {
  const out = new Set<string>()
  for (const r of catalogue) if (accountRoles.includes(r.key)) for (const p of r.permissions) out.add(p)
  return out
}

/** A role's label in the UI language (the key itself when the server does not know it). */
export function roleLabel(key: string, catalogue: readonly Role[], lang: Lang): string {
  const r = catalogue.find((x) => x.key === key)
  return r ? (lang === 'ja' ? r.label : r.label_en) : key
}

/** The server's own words for a problem, in the UI language; undefined when it gave none. */
export function problemText(p: Problem | undefined, lang: Lang): string | undefined {
  if (!p) return undefined
  if (lang === 'ja') return p.detail_ja || undefined
  return p.detail || undefined
}

/** The rules that end a session (401). Anything else (no rule at all) is "sign in first". */
export const SESSION_END_RULES = ['idle_timeout', 'lifetime', 'access_ended', 'ended', 'no_session'] as const
