// Package report renders a gate.Outcome for people: the sticky pull-request
// comment (Comment), the job summary (Summary), a plain-text report for a
// terminal or a non-GitHub CI log (Terminal) and workflow annotations
// (Annotations).
//
// Rendering is pure and deterministic: no clock, no map iteration order, no
// I/O except writing to a given io.Writer. Everything that comes from the
// CodeScoring server is untrusted text: it is escaped (EscapeMarkdown,
// SafeURL) before it goes into markdown and stripped of control characters
// (PlainText) before it goes to a terminal.
package report
