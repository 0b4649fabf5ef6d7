// マイナンバー: what the section's pages share — who may do what, the purposes, the labels of kinds,
// states and documents, the section's own menu, and the frame of each page.
import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { StatusLabel } from 'smarthr-ui'
import { api } from '../api'
import { Page } from '../components'
import { useApp } from '../context'
import { isoDateToDisplay } from '../forms'
import { formatDateTime } from '../format'
import type { MessageKey, Messages } from '../i18n'
import { abilitiesOf, type Abilities, type Purpose, type SubjectKind, type SubjectState } from '../mynumber'
import type { MyNumberView } from '../routes'

export function useAbilities(): Abilities {
  const { session, permissions } = useApp()
  const roles = session?.account.roles
  return useMemo(() => abilitiesOf(roles ?? [], permissions), [roles, permissions])
}

/** The profile's purposes (GET /api/mynumber/purposes); [] when they cannot be read. */
export function usePurposes(enabled = true): { purposes: Purpose[] | null; error: unknown } {
  const [purposes, setPurposes] = useState<Purpose[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    if (!enabled) return
    const ctl = new AbortController()
    api
      .get<{ items: Purpose[] } | Purpose[]>('/api/mynumber/purposes', { signal: ctl.signal })
      .then((r) => setPurposes(Array.isArray(r) ? r : (r?.items ?? [])))
      .catch((e) => {
        if (ctl.signal.aborted) return
        setError(e)
        setPurposes([])
      })
    return () => ctl.abort()
  }, [enabled])
  return { purposes, error }
}

export const KIND_LABEL: Record<SubjectKind, MessageKey> = {
  employee: 'mnKindEmployee',
  dependant: 'mnKindDependant',
  partner: 'mnKindPartner',
  shareholder: 'mnKindShareholder',
}

export const STATE_LABEL: Record<SubjectState, { label: MessageKey; type: 'green' | 'warning' | 'grey' }> = {
  active: { label: 'mnStateActive', type: 'green' },
  deletion_requested: { label: 'mnStateDeletionRequested', type: 'warning' },
  deleted: { label: 'mnStateDeleted', type: 'grey' },
}

export function kindText(t: Messages, kind: string): string {
  return kind in KIND_LABEL ? t[KIND_LABEL[kind as SubjectKind]] : kind
}

export function StateLabel({ state }: { state: string }) {
  const { t } = useApp()
  const s = STATE_LABEL[state as SubjectState]
  return <StatusLabel type={s?.type ?? 'grey'}>{s ? t[s.label] : state}</StatusLabel>
}

export const DOCUMENT_LABEL: Record<string, MessageKey> = {
  individual_number_card: 'mnDocIndividualNumberCard',
  notification_card: 'mnDocNotificationCard',
  resident_record: 'mnDocResidentRecord',
  drivers_license: 'mnDocDriversLicense',
  passport: 'mnDocPassport',
  residence_card: 'mnDocResidenceCard',
  health_insurance_card: 'mnDocHealthInsuranceCard',
  pension_book: 'mnDocPensionBook',
  employer_known: 'mnDocEmployerKnown',
}

export function documentText(t: Messages, code: string): string {
  return code in DOCUMENT_LABEL ? t[DOCUMENT_LABEL[code]] : code
}

/** A date (YYYY-MM-DD) or a moment (ISO) as 2026/04/01 or 2026/04/01 09:30; "—" when none. */
export function whenText(v: string | null | undefined): string {
  if (!v) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return isoDateToDisplay(v)
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? v : formatDateTime(d)
}

/** A list's items whether the API answers {items} or a bare array. */
export function itemsOf<T>(r: { items?: T[] } | T[] | null | undefined): T[] {
  if (!r) return []
  return Array.isArray(r) ? r : (r.items ?? [])
}

// ---- the section's menu ----

type NavItem = { view: MyNumberView; href: string; label: MessageKey; shown: (a: Abilities) => boolean }

const NAV: NavItem[] = [
  { view: 'subjects', href: '#/mynumber', label: 'mnNavSubjects', shown: (a) => a.list || a.itStaff },
  { view: 'new', href: '#/mynumber/new', label: 'mnNavNew', shown: (a) => a.collect },
  { view: 'export', href: '#/mynumber/export', label: 'mnNavExport', shown: (a) => a.reveal },
  { view: 'queue', href: '#/mynumber/queue', label: 'mnNavQueue', shown: (a) => a.manage },
  { view: 'scopes', href: '#/mynumber/scopes', label: 'mnNavScopes', shown: (a) => a.manage },
  { view: 'grants', href: '#/mynumber/grants', label: 'mnNavGrants', shown: (a) => a.manage },
  { view: 'mistakes', href: '#/mynumber/mistakes', label: 'mnNavMistakes', shown: (a) => a.manage },
  { view: 'report', href: '#/mynumber/report', label: 'mnNavReport', shown: (a) => a.manage },
  { view: 'requests', href: '#/mynumber/requests', label: 'mnNavRequests', shown: (a) => a.list },
  { view: 'records', href: '#/mynumber/records', label: 'mnNavRecords', shown: (a) => a.list },
  { view: 'about', href: '#/mynumber/about', label: 'mnNavAbout', shown: () => true },
]

/** Whether a view is offered to these abilities (the server still decides). */
export function viewShown(view: MyNumberView, a: Abilities): boolean {
  return NAV.find((n) => n.view === view)?.shown(a) ?? false
}

/** The section's menu: only the views this account's roles may use. */
export function MyNumberNav({ current }: { current: MyNumberView }) {
  const { t } = useApp()
  const abilities = useAbilities()
  const items = NAV.filter((n) => n.shown(abilities))
  if (items.length <= 1) return null
  return (
    <nav className="mn-nav" aria-label={t.mnSectionNav}>
      <ul>
        {items.map((n) => (
          <li key={n.view}>
            <a href={n.href} aria-current={n.view === current ? 'page' : undefined}>
              {t[n.label]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** A page of the section: its heading, the section's menu, then the content. */
export function MyNumberFrame({ view, title, actions, children }: { view: MyNumberView; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Page title={title} actions={actions}>
      <MyNumberNav current={view} />
      {children}
    </Page>
  )
}
