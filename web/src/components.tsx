// Small building blocks shared by the pages, on top of smarthr-ui.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Button, Cluster, InformationPanel, NotificationBar, PageHeading, Stack, Text } from 'smarthr-ui'
import { ApiError, isApiError } from './api'
import { problemText } from './auth'
import { useApp } from './context'
import { errorText, firstInvalid, type FieldErrors } from './forms'
import type { Messages, Lang } from './i18n'

/** A page: its heading (h1), the pending notice for it, then the content. */
export function Page({ title, children, actions }: { title: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <Stack gap={1.5}>
      <Cluster justify="space-between" align="center">
        {/* autoPageTitle off: the window title stays the product's */}
        <PageHeading autoPageTitle={false}>{title}</PageHeading>
        {actions}
      </Cluster>
      <PageNotice />
      {children}
    </Stack>
  )
}

/** The notice left for this page by the previous action (e.g. "従業員を登録しました。"). */
export function PageNotice() {
  const { notice, t } = useApp()
  if (!notice || notice.hash !== normalHash(location.hash)) return null
  return (
    <NotificationBar type={notice.tone} className="page-notice">
      {notice.text(t)}
    </NotificationBar>
  )
}

export function normalHash(hash: string): string {
  return hash === '' || hash === '#' || hash === '#/' ? '#/dashboard' : hash
}

/** What to say about a failed call that is not a field error. */
export function errorMessage(e: unknown, t: Messages, lang: Lang): string {
  if (!(e instanceof ApiError)) return t.unexpectedError
  if (e.status === 0) return t.networkError
  if (e.status === 403) return (e.rule === 'restricted' ? problemText(e.problem, lang) : undefined) ?? t.forbidden
  const first = e.problem.errors?.[0]
  return problemText(e.problem, lang) ?? (first ? errorText(first, lang) : t.unexpectedError)
}

/** A failed load: the reason and a retry button. */
export function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t, lang } = useApp()
  return (
    <InformationPanel title={isApiError(error, 403) ? t.forbidden : t.loadFailed} type="error">
      <Stack gap={0.75}>
        {!isApiError(error, 403) && <Text as="p">{errorMessage(error, t, lang)}</Text>}
        <div>
          <Button size="s" onClick={retry}>
            {t.reload}
          </Button>
        </div>
      </Stack>
    </InformationPanel>
  )
}

/**
 * Errors that belong to no field of the form: a summary above it. It takes focus when the
 * submit found no field to focus.
 */
export function FormErrorSummary({ messages, id }: { messages: string[] | undefined; id: string }) {
  if (!messages || messages.length === 0) return null
  return (
    <div id={id} tabIndex={-1} className="form-error-summary" role="alert">
      <NotificationBar type="error">
        {messages.length === 1 ? (
          messages[0]
        ) : (
          <ul className="plain-list">
            {messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )}
      </NotificationBar>
    </div>
  )
}

/**
 * After a failed submit (each new `attempt`), move focus to the first field with an error, in
 * form order; else to the summary of form-level errors.
 */
export function useFocusFirstInvalid(attempt: number, errors: FieldErrors, order: readonly string[], idOf: (field: string) => string, summaryId?: string) {
  const latest = useRef({ errors, order, idOf, summaryId })
  latest.current = { errors, order, idOf, summaryId }
  useEffect(() => {
    if (attempt === 0) return
    const { errors, order, idOf, summaryId } = latest.current
    const f = firstInvalid(order, errors)
    const el = f ? document.getElementById(idOf(f)) : summaryId ? document.getElementById(summaryId) : null
    el?.focus()
  }, [attempt])
}

/** Copies a text; says whether it worked (clipboard access needs a secure context). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useApp()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <span className="copy-button">
      <Button size="s" onClick={copy}>
        {label ?? t.copy}
      </Button>
      <span role="status" className="copy-status">
        {state === 'copied' ? t.copied : state === 'failed' ? t.copyFailed : ''}
      </span>
    </span>
  )
}
