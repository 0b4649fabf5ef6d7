// Hash routes (the server serves only / and /assets/*). Pure; see routes.test.ts.
import type { MessageKey } from './i18n'

export type Route =
  | { page: 'dashboard' | 'approvals' | 'approvalNew' | 'ledgers' | 'password' | 'people' | 'personNew' | 'accounts' }
  // やること: the duties calendar, its state filter in `query` (state=overdue)
  | { page: 'duties'; query: string }
  | { page: 'personEdit'; id: number }
  // 申請・承認: one request
  | { page: 'approval'; id: number }
  // 台帳: one ledger's list (its search/filters/sort/page in `query`), a new record, a record, CSV import
  | { page: 'ledger'; name: string; query: string }
  | { page: 'ledgerNew'; name: string }
  | { page: 'ledgerRecord'; name: string; id: number }
  | { page: 'ledgerImport'; name: string }
  // マイナンバー: one of its views (the subject list and the monthly report keep their query), a subject.
  // Never a number in a hash: the query holds only search words, filters, a page, a month.
  | { page: 'mynumber'; view: MyNumberView; query: string }
  | { page: 'mynumberSubject'; id: number }

/** The views of the マイナンバー section (#/mynumber/VIEW; the subject list is #/mynumber). */
export const MYNUMBER_VIEWS = ['subjects', 'about', 'new', 'export', 'queue', 'scopes', 'grants', 'mistakes', 'report', 'records', 'requests'] as const
export type MyNumberView = (typeof MYNUMBER_VIEWS)[number]
/** The views whose query (search, filters, page, month) is part of the hash. */
const MYNUMBER_QUERY_VIEWS: readonly MyNumberView[] = ['subjects', 'report']

export type Page = Route['page']

/** The main navigation, by job. */
export const MAIN_NAV = [
  { page: 'dashboard', href: '#/dashboard', label: 'navDashboard' },
  { page: 'duties', href: '#/duties', label: 'navDuties' },
  { page: 'approvals', href: '#/approvals', label: 'navApprovals' },
  { page: 'ledgers', href: '#/ledgers', label: 'navLedgers' },
  { page: 'mynumber', href: '#/mynumber', label: 'navMyNumber' },
] as const satisfies readonly { page: Page; href: string; label: MessageKey }[]

/** 管理: shown to those with the permission. */
export const ADMIN_NAV = [
  { page: 'people', href: '#/admin/people', label: 'navPeople', permission: 'people.read', section: ['people', 'personNew', 'personEdit'] },
  { page: 'accounts', href: '#/admin/accounts', label: 'navAccounts', permission: 'accounts.read', section: ['accounts'] },
] as const satisfies readonly { page: Page; href: string; label: MessageKey; permission: string; section: readonly Page[] }[]

/** The pages of a main navigation item (the item is current on each). */
export function sectionOf(page: Page): Page {
  switch (page) {
    case 'ledger':
    case 'ledgerNew':
    case 'ledgerRecord':
    case 'ledgerImport':
      return 'ledgers'
    case 'mynumberSubject':
      return 'mynumber'
    case 'approval':
    case 'approvalNew':
      return 'approvals'
    default:
      return page
  }
}

const LEDGER = /^[a-z][a-z_]*$/
const ID = /^[1-9]\d{0,15}$/

export function routeFromHash(hash: string): Route {
  const rest = hash.replace(/^#\/?/, '')
  const qAt = rest.indexOf('?')
  const path = qAt < 0 ? rest : rest.slice(0, qAt)
  const query = qAt < 0 ? '' : rest.slice(qAt + 1)
  const parts = path.split('/').filter((p) => p !== '')
  const [a, b, c] = parts
  if (a === 'ledgers' && b !== undefined) {
    if (!LEDGER.test(b) || parts.length > 3) return { page: 'ledgers' }
    if (c === undefined) return { page: 'ledger', name: b, query }
    if (c === 'new') return { page: 'ledgerNew', name: b }
    if (c === 'import') return { page: 'ledgerImport', name: b }
    if (ID.test(c)) return { page: 'ledgerRecord', name: b, id: Number(c) }
    return { page: 'ledger', name: b, query: '' }
  }
  if (a === 'mynumber') {
    const subjects: Route = { page: 'mynumber', view: 'subjects', query: '' }
    if (b === undefined) return { ...subjects, query }
    if (b === 'subjects') return c !== undefined && ID.test(c) && parts.length === 3 ? { page: 'mynumberSubject', id: Number(c) } : subjects
    if (parts.length > 2 || !(MYNUMBER_VIEWS as readonly string[]).includes(b)) return subjects
    const view = b as MyNumberView
    return { page: 'mynumber', view, query: MYNUMBER_QUERY_VIEWS.includes(view) ? query : '' }
  }
  if (a === 'admin') {
    if (b === 'people') {
      if (c === undefined) return { page: 'people' }
      if (c === 'new') return { page: 'personNew' }
      if (ID.test(c)) return { page: 'personEdit', id: Number(c) }
      return { page: 'people' }
    }
    if (b === 'accounts') return { page: 'accounts' }
    return { page: 'dashboard' }
  }
  if (a === 'approvals' && b === 'new' && parts.length === 2) return { page: 'approvalNew' }
  if (a === 'approvals' && b !== undefined) return ID.test(b) && parts.length === 2 ? { page: 'approval', id: Number(b) } : { page: 'approvals' }
  if (a === 'duties') return { page: 'duties', query: parts.length === 1 ? query : '' }
  const simple = ['dashboard', 'approvals', 'ledgers', 'password'] as const
  return { page: (simple as readonly string[]).includes(a) ? (a as (typeof simple)[number]) : 'dashboard' }
}

export function hashOf(r: Route): string {
  switch (r.page) {
    case 'people':
      return '#/admin/people'
    case 'personNew':
      return '#/admin/people/new'
    case 'personEdit':
      return `#/admin/people/${r.id}`
    case 'accounts':
      return '#/admin/accounts'
    case 'ledger':
      return `#/ledgers/${r.name}${r.query ? `?${r.query}` : ''}`
    case 'ledgerNew':
      return `#/ledgers/${r.name}/new`
    case 'ledgerRecord':
      return `#/ledgers/${r.name}/${r.id}`
    case 'ledgerImport':
      return `#/ledgers/${r.name}/import`
    case 'mynumber': {
      const path = r.view === 'subjects' ? '#/mynumber' : `#/mynumber/${r.view}`
      return r.query ? `${path}?${r.query}` : path
    }
    case 'mynumberSubject':
      return `#/mynumber/subjects/${r.id}`
    case 'approval':
      return `#/approvals/${r.id}`
    case 'approvalNew':
      return '#/approvals/new'
    case 'duties':
      return r.query ? `#/duties?${r.query}` : '#/duties'
    default:
      return `#/${r.page}`
  }
}

/**
 * Which page is shown, for moving focus after navigation: a list's search, filters, sort and page
 * are the same page (focus stays on the control that changed them).
 */
export function viewKeyOf(r: Route): string {
  if (r.page === 'ledger' || r.page === 'mynumber' || r.page === 'duties') return hashOf({ ...r, query: '' })
  return hashOf(r)
}

/** The permission a page needs (besides being signed in); undefined: everyone. */
export function permissionFor(page: Page): string | undefined {
  switch (page) {
    case 'people':
      return 'people.read'
    case 'personNew':
    case 'personEdit':
      return 'people.write'
    case 'accounts':
      return 'accounts.read'
    case 'duties':
      return 'duties.read'
    default:
      return undefined
  }
}
