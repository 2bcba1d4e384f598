package doctor

import (
	"bytes"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// TestWriteTextRussian pins the Russian text report: doctor's own words in
// Russian, the checks' names (the JSON's) and the endpoints as they are.
func TestWriteTextRussian(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteTextIn(&b, sampleReport(), i18n.Russian, 0); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	golden(t, "report_ru.txt", b.Bytes())
	for _, want := range []string{
		"действует api-paths: policies=/api/v2/policies/\n",
		"· не проверено: analyses, policies (сначала исправьте ошибки выше)\n",
		"Эндпоинты, которые вызывает гейт (по документу OpenAPI /api/schema/):\n",
		"Не пройдена 1 проверка, 1 предупреждение: гейт пока не будет работать с этой установкой (код 1).\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the Russian report lacks %q:\n%s", want, got)
		}
	}
	for _, english := range []string{"not checked", "Endpoints the gate calls", "Set api-paths to", "check failed", "score 7", "[assumed]"} {
		if strings.Contains(got, english) {
			t.Errorf("the Russian report has the English %q", english)
		}
	}
	var ru, en bytes.Buffer
	if err := WriteTextIn(&ru, sampleReport(), i18n.Russian, unwrapped); err != nil {
		t.Fatal(err)
	}
	if err := WriteTextIn(&en, sampleReport(), i18n.English, unwrapped); err != nil {
		t.Fatal(err)
	}
	if strings.Count(ru.String(), "\n") != strings.Count(en.String(), "\n") {
		t.Errorf("the unwrapped Russian report has %d lines, the English %d", strings.Count(ru.String(), "\n"), strings.Count(en.String(), "\n"))
	}
}
