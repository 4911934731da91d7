#!/usr/bin/env bash
# Makes the two reference clips of the phone rig in DIR (espeak-ng + sox), both 8 kHz mono 16-bit PCM WAV (the
# G.711 rate, so the phone path loses nothing but the mu-law/A-law quantisation):
#   DIR/farend_to_agent.wav  0.3 s 700 Hz burst, 0.2 s silence, a sentence   (the far end plays it to the agent)
#   DIR/agent_to_farend.wav  0.3 s 1300 Hz burst, 0.2 s silence, another one (the agent's microphone plays it)
# About 6.0 s and 5.4 s. The sentences differ, so each reference correlates with its own direction only.
# Usage: tests/phone/analysis/make_clips.sh DIR
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
command -v espeak-ng >/dev/null && command -v sox >/dev/null || {
  echo "make_clips.sh: espeak-ng and sox are needed (scripts/setup-debian.sh installs them)" >&2; exit 1; }
mkdir -p "$1"
cd "$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

clip() {  # clip NAME TONE_HZ VOICE SENTENCE
  espeak-ng -v "$3" -s 150 -w "$tmp/$1.speech.wav" "$4"
  sox "$tmp/$1.speech.wav" -r 8000 -c 1 -b 16 "$tmp/$1.speech8.wav" norm -3
  sox -n -r 8000 -c 1 -b 16 "$tmp/$1.tone.wav" synth 0.3 sine "$2" vol 0.5
  sox -n -r 8000 -c 1 -b 16 "$tmp/$1.gap.wav" trim 0 0.2
  sox "$tmp/$1.tone.wav" "$tmp/$1.gap.wav" "$tmp/$1.speech8.wav" "$1.wav"
}
clip farend_to_agent 700 en-us "Thank you for calling. Your call is important to us, please hold the line."
clip agent_to_farend 1300 en "Good morning, this is the agent speaking. How can I help you today?"
soxi -D farend_to_agent.wav agent_to_farend.wav >/dev/null
