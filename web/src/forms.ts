// Helpers for forms: the server's field errors in the UI language, the first invalid field, the
// second-factor secret for reading aloud, the QR code as an <img> source. Pure; see forms.test.ts.
import { ApiError, isApiError, type FieldError } from './api'
import type { PasswordRule, PasswordRuleCheck, Person } from './auth'
import type { Lang } from './i18n'

/** Field name → the messages for it, in the UI language. */
export type FieldErrors = Record<string, string[]>

/** One error's text in the UI language (the server's Japanese text, else its English one). */
export function errorText(e: FieldError, lang: Lang): string {
  return lang === 'ja' ? e.message_ja || e.message : e.message
}

/**
 * The errors[] of a 422 (or any problem that names a field) grouped by field. Errors whose field
 * is not one of `known` are gathered under "" (shown above the form).
 */
export function fieldErrors(err: unknown, lang: Lang, known?: readonly string[]): FieldErrors {
  const out: FieldErrors = {}
  if (!(err instanceof ApiError)) return out
  for (const e of err.problem.errors ?? []) {
    const key = known && !known.includes(e.field) ? '' : e.field
    ;(out[key] ??= []).push(errorText(e, lang))
  }
  return out
}

/**
 * What a form shows after a failed save: a 422's errors by field, with `summary` above the form
 * when a field has one; anything else (or a 422 naming no field) as `fallback` above the form.
 */
export function saveErrors(err: unknown, lang: Lang, known: readonly string[], fallback: string, summary: string): FieldErrors {
  const fe = isApiError(err, 422) ? fieldErrors(err, lang, known) : {}
  if (Object.keys(fe).length === 0) return { '': [fallback] }
  if (!fe['']) fe[''] = [summary]
  return fe
}

/** The first field, in form order, that has an error. */
export function firstInvalid(order: readonly string[], errors: FieldErrors): string | undefined {
  return order.find((f) => (errors[f]?.length ?? 0) > 0)
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP" (easier to type into an authenticator app). */
export function groupSecret(secret: string, size = 4): string {
  const clean = secret.replace(/\s+/g, '')
  const groups: string[] = []
  for (let i = 0; i < clean.length; i += size) groups.push(clean.slice(i, i + size))
  return groups.join(' ')
}

/** An SVG document as a data: URL for <img src> (the CSP allows img-src data:; no inline SVG markup). */
export function svgDataUri(svg: string): string {
  const bytes = new TextEncoder().encode(svg)
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return `data:image/svg+xml;base64,${btoa(bin)}`
}

/** A code typed with spaces or hyphens for readability: keep digits and letters only for 6-digit TOTPs. */
export function normaliseCode(code: string): string {
  const trimmed = code.trim()
  const digits = trimmed.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(digits) ? digits : trimmed
}

/**
 * The rules to show next to a new password: the result of the last check when there is one,
 * otherwise the rules of the account's class (not yet checked: met = null).
 */
export function ruleRows(
  rules: readonly PasswordRule[],
  checked: readonly PasswordRuleCheck[] | null,
): { rule: string; text: string; text_en: string; met: boolean | null }[] {
  if (checked) return checked.map((r) => ({ ...r, met: r.met }))
  return rules.map((r) => ({ ...r, met: null }))
}

// ---- people: the form's values and what to send ----

export const PERSON_FIELDS = [
  'employee_no',
  'name',
  'name_kana',
  'department',
  'employment_type',
  'joined_on',
  'left_on',
  'nda_on',
  'phone',
  'birthday',
  'email',
] as const
export type PersonField = (typeof PERSON_FIELDS)[number]
export type PersonValues = Record<PersonField, string>

export function emptyPerson(): PersonValues {
  return Object.fromEntries(PERSON_FIELDS.map((f) => [f, ''])) as PersonValues
}

export function personValues(p: Person): PersonValues {
  const v = emptyPerson()
  for (const f of PERSON_FIELDS) v[f] = (p[f] as string | null | undefined) ?? ''
  return v
}

/**
 * The JSON body for POST (create: only the fields filled in, so the server names missing required
 * ones) or PATCH (edit: only the fields changed; an emptied field is null, which clears it).
 */
export function personBody(values: PersonValues, original?: PersonValues): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const f of PERSON_FIELDS) {
    const v = values[f].trim()
    if (!original) {
      if (v !== '') out[f] = v
    } else if (v !== original[f].trim()) {
      out[f] = v === '' ? null : v
    }
  }
  return out
}

/** 2026-04-01 → 2026/04/01 (a date without time: no time-zone shift). */
export function isoDateToDisplay(d: string | null | undefined): string {
  if (!d) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d)
  return m ? `${m[1]}/${m[2]}/${m[3]}` : d
}
