; The machine-wide policy from NSIS command-line switches. Referenced from tauri.conf.json:
; bundle.windows.nsis.installerHooks. Silent, per-machine install:
;
;   "uContact Agent Companion_0.1.0_x64-setup.exe" /S /SERVER_URL=https://acme.ucontactcloud.com /LOCK_SERVER_URL=1 ^
;       /TREES_SHARED=https://intranet.acme/ucontact/trees/{campaign}.json
;
; Writes %ProgramData%\ucontact-agent-companion\policy.toml (the same lines as the MSI's policy.wxs):
;   [settings] server_url="…" trees.shared="…"   [lock] server_url=true
; Only when at least one switch is given; otherwise an existing policy (GPO, SCCM) is left alone. The app reads
; the file at run time and never writes to it. A value must not contain a double quote or a space.

!include "FileFunc.nsh"

!macro NSIS_HOOK_POSTINSTALL
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SERVER_URL=" $R1
  IfErrors 0 +2
    StrCpy $R1 ""
  ClearErrors
  ${GetOptions} $R0 "/LOCK_SERVER_URL=" $R2
  IfErrors 0 +2
    StrCpy $R2 ""
  ClearErrors
  ${GetOptions} $R0 "/TREES_SHARED=" $R3
  IfErrors 0 +2
    StrCpy $R3 ""
  StrCmp "$R1$R2$R3" "" policy_done
    SetShellVarContext all
    CreateDirectory "$APPDATA\ucontact-agent-companion"
    FileOpen $R4 "$APPDATA\ucontact-agent-companion\policy.toml" w
    FileWrite $R4 "# Written by the installer from its command line; see README, Deploying to many desks.$\r$\n"
    FileWrite $R4 "[settings]$\r$\n"
    StrCmp $R1 "" +2
      FileWrite $R4 'server_url = "$R1"$\r$\n'
    StrCmp $R3 "" +2
      FileWrite $R4 'trees.shared = "$R3"$\r$\n'
    FileWrite $R4 "[lock]$\r$\n"
    StrCmp $R2 "1" 0 +2
      FileWrite $R4 "server_url = true$\r$\n"
    FileClose $R4
  policy_done:
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  ; The policy belongs to IT: an uninstall leaves it, so a reinstall or an upgrade keeps the desk's preset.
!macroend
