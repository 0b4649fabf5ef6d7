// The warning before the idle timeout: an accessible dialog with a countdown.
import { ActionDialog, Text } from 'smarthr-ui'
import { useApp } from './context'
import { fmt } from './i18n'

export function IdleWarning({ secondsLeft, onContinue, onLogout }: { secondsLeft: number; onContinue: () => void; onLogout: () => void }) {
  const { t } = useApp()
  return (
    <ActionDialog
      isOpen
      className="idle-warning"
      title={t.idleTitle}
      actionText={t.idleContinue}
      onClickAction={onContinue}
      onClickClose={onLogout}
      onPressEscape={onContinue}
      decorators={{ closeButtonLabel: () => t.logout }}
    >
      <Text as="p">
        <span role="timer" className="idle-countdown" data-seconds={secondsLeft}>
          {fmt(t.idleBody, { seconds: secondsLeft })}
        </span>
      </Text>
    </ActionDialog>
  )
}
