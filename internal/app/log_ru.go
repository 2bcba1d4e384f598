package app

import (
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// logRU is each progress line of the gate and of app in Russian, keyed by
// its English format; the arguments are the same, in the same order. A test
// keeps every logf call with a literal format in this table. Values the
// lines quote (statuses, refs, durations, parts the gate composes) stay as
// they are.
var logRU = map[string]string{
	"CodeScoring answers again":                                                                              "CodeScoring снова отвечает",
	"stopped listing comments of %s/%s#%d after %d pages":                                                    "список комментариев %s/%s#%d прерван после %d страниц",
	"stopped listing the notes of %s after %d pages":                                                         "список заметок %s прерван после %d страниц",
	"creating the note on %s failed, looking for it before trying again: %v":                                 "заметка в %s не создана; перед новой попыткой ищем ее: %v",
	"%v; retrying in %s (attempt %d)":                                                                        "%v; повтор через %s (попытка %d)",
	"GitHub request failed, retrying in %s: %v":                                                              "запрос к GitHub не удался, повтор через %s: %v",
	"on-error is warn, but a configuration error is not an outage: the gate exits 2.":                        "on-error — warn, но ошибка настройки — не сбой: гейт завершается с кодом 2.",
	"on-error is warn: the gate could not decide, and the build goes on (verdict output: error).":            "on-error — warn: гейт не смог решить, сборка продолжается (выходной параметр verdict: error).",
	"CodeScoring gate %s: project %s, ref %s, commit %s, stage %s, mode %s, baseline %s, block-on %s, at %s": "Гейт CodeScoring %s: проект %s, ветка %s, коммит %s, этап %s, режим %s, база сравнения %s, block-on %s, сервер %s",
	"CodeScoring project %d %q":                                                                              "Проект CodeScoring %d %q",
	"Merge request note %s: %s":                                                                              "Заметка в merge request %s: %s",
	"No PR comment: the job was cancelled.":                                                                  "Комментарий в PR не написан: задание отменено.",
	"PR comment %s: %s":                                                                                      "Комментарий в PR %s: %s",
	"analysis %d is taking %d× longer than usual (%s so far, usually %s): CodeScoring may be busy or the analysis stuck":                                   "анализ %d идет в %d× дольше обычного (уже %s, обычно %s): CodeScoring может быть занят, или анализ завис",
	"analysis %d of %s finished (%s): the project is free":                                                                                                 "анализ %d ветки %s завершен (%s): проект свободен",
	"analysis %d of %s is running (for %s%s), and CodeScoring runs one analysis of a project at a time: waiting for it to finish, then starting one of %s": "идет анализ %d ветки %s (уже %s%s), а CodeScoring выполняет один анализ проекта за раз: ждем его завершения, затем запускаем анализ %s",
	"analysis %d of %s started meanwhile (for %s): waiting behind it":                                                                                      "тем временем запущен анализ %d ветки %s (уже %s): ждем за ним",
	"analysis %d: %d blocking, %d warnings, %d upcoming: %s":                                                                                               "анализ %d: блокирующих %d, предупреждений %d, отложенных блокировок %d: %s",
	"analysis %d: %s, %s elapsed%s":                                                                    "анализ %d: %s, прошло %s%s",
	"analysis %d: CodeScoring answers again":                                                           "анализ %d: CodeScoring снова отвечает",
	"analysis %d: the status request failed (%v); polling on until the wait-timeout":                   "анализ %d: запрос статуса не удался (%v); опрашиваем дальше до wait-timeout",
	"analysis %d: unknown status %q, treated as not finished":                                          "анализ %d: неизвестный статус %q, считаем незавершенным",
	"api-paths in force: %s (the other endpoints are the built-in ones)":                               "действует api-paths: %s (остальные эндпоинты — встроенные)",
	"attaching to analysis %d (%s, %s): %s":                                                            "присоединяемся к анализу %d (%s, %s): %s",
	"baseline unavailable: %s":                                                                         "база сравнения недоступна: %s",
	"baseline unavailable: %s; block-on new blocks on every blocking alert, as all does (fail-closed)": "база сравнения недоступна: %s; block-on new блокирует каждый блокирующий алерт, как all (fail-closed)",
	"baseline: analysis %d of %s, %d alerts":                                                           "база сравнения: анализ %d (%s), алертов: %d",
	"block-on is new, but there is no baseline ref (no pull or merge request, and no baseline-ref): every blocking alert blocks, as with block-on all": "block-on — new, но ветки базы сравнения нет (нет pull или merge request и нет baseline-ref): блокирует каждый блокирующий алерт, как при block-on all",
	"listing the analyses failed (%v); polling on until the wait-timeout":                                                                              "список анализов не получен (%v); опрашиваем дальше до wait-timeout",
	"reused analysis %d of %s, finished %s (reuse-max-age %s): no analysis started; the policies and alert statuses are read now":                      "повторно использован анализ %d (%s), завершен %s (reuse-max-age %s): новый анализ не запущен; политики и статусы алертов читаются сейчас",
	"start is false: waiting for an analysis of %s to appear in CodeScoring (its webhook or schedule starts it), for up to %s":                         "start — false: ждем появления анализа %s в CodeScoring (его запустит вебхук или расписание), не дольше %s",
	"started analysis %d of project %d (%s)":                                             "запущен анализ %d проекта %d (%s)",
	"still no analysis of %s, %s elapsed%s":                                              "анализа %s все еще нет, прошло %s%s",
	"waiting behind analysis %d of %s: %s for %s%s; %s elapsed":                          "ждем за анализом %d ветки %s: %s уже %s%s; прошло %s",
	"warning: analysis %d is for commit %s, not %s: its alerts may not match this build": "предупреждение: анализ %d — коммита %s, а не %s: его алерты могут не соответствовать этой сборке",
}

// logFormat is format in lang: its Russian form when the table has one
// (also after a "[project] " prefix), else format itself.
func logFormat(lang i18n.Language, format string) string {
	if lang != i18n.Russian {
		return format
	}
	const prefix = "[%s] "
	if rest, ok := strings.CutPrefix(format, prefix); ok {
		return prefix + logFormat(lang, rest)
	}
	if ru, ok := logRU[format]; ok {
		return ru
	}
	return format
}
