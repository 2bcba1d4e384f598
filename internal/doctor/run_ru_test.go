package doctor

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// english finds an English word of doctor's own sentences; russianText
// drops what stays as it is in Russian: code, quoted server text, URLs and
// paths, HTTP status lines, the checks' names (the JSON's), endpoint and
// method names.
var (
	english     = regexp.MustCompile(`\b(the|is|are|not|and|with|answered|answers|check|set|no|of|to|from|in|at|for|by|an?|resolves|connected|accepted|policies|stage|newest|analysis|endpoints?|document|present|missing|verified|segment|candidates?)\b`)
	russianText = regexp.MustCompile("`[^`\n]*`|\"[^\"\n]*\"|https?://[^ ),]*|/[a-z_{}/.?=&0-9-]+|[0-9]{3} [A-Z][A-Za-z ]+[a-z]|(?m)^[✔⚠✖] [a-z]+ |\\b(GET|POST|[A-Z][a-z]+[A-Z][A-Za-z]+)\\b|api-paths|не проверено: [a-z, ]+|(параметры запроса|нет параметра) [a-z_, ]+")
)

// TestRunRussian runs doctor in Russian against the simulator, as the
// doctor command does with language ru: its text report, pinned by goldens
// for a pass, a refused token and an endpoint served elsewhere, has no
// English sentence of doctor's own; the findings carry CodeScoring's
// Russian words; and the JSON report has the English one's keys and check
// names and statuses, so that what machines read does not change.
func TestRunRussian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, golden string
		sim          simulator.Options
		opts         func(*Options)
		words        []string // CodeScoring's words, in the findings
	}{
		{name: "pass", golden: "run_ru_pass.txt",
			words: []string{"политики-блокера на этапе source", "с отложенной блокировкой: 1", "последний анализ 1000 (main) завершился успешно 2 ч назад"}},
		{name: "wrong token", golden: "run_ru_token.txt", opts: func(o *Options) { o.Token = "wrong-token" },
			words: []string{"CodeScoring не принял токен", "задайте `--token` / `CODESCORING_TOKEN`: действующий API-токен"}},
		{name: "alerts served elsewhere, in Actions", golden: "run_ru_apipaths.txt",
			sim:   simulator.Options{Paths: map[simulator.Endpoint]string{simulator.EndpointAlerts: "/api/sca/alerts/"}},
			opts:  func(o *Options) { o.Audience.Actions = true },
			words: []string{"вероятная замена /api/sca/alerts/", "задайте входной параметр `api-paths` равным alerts=/api/sca/alerts/"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := startSim(t, tc.sim, false, nil)
			reports := map[i18n.Language]*Report{}
			var text, flat string // the report as written, and unwrapped for the word checks
			for _, lang := range i18n.Languages {
				opts := env.options()
				opts.Audience = gate.Audience{Lang: lang}
				if tc.opts != nil {
					tc.opts(&opts)
				}
				opts.Audience.Lang = lang
				r, err := Run(t.Context(), opts)
				if err != nil {
					t.Fatalf("Run(%s) error = %v", lang, err)
				}
				reports[lang] = r
				if lang == i18n.Russian {
					var b, wide bytes.Buffer
					if err := WriteTextIn(&b, r, lang, 0); err != nil {
						t.Fatal(err)
					}
					if err := WriteTextIn(&wide, r, lang, unwrapped); err != nil {
						t.Fatal(err)
					}
					text = strings.ReplaceAll(b.String(), env.url.Host, "127.0.0.1:PORT")
					flat = strings.ReplaceAll(wide.String(), env.url.Host, "127.0.0.1:PORT")
				}
			}
			golden(t, tc.golden, []byte(text))
			var enText bytes.Buffer
			if err := WriteText(&enText, reports[i18n.English]); err != nil {
				t.Fatal(err)
			}
			if english.FindString(russianText.ReplaceAllString(enText.String(), "")) == "" {
				t.Fatalf("the English report has no English word the test looks for: it would find none in Russian either")
			}
			for i, line := range strings.Split(russianText.ReplaceAllString(flat, ""), "\n") {
				if w := english.FindString(line); w != "" {
					t.Errorf("line %d of the unwrapped Russian report has the English %q: %s", i+1, w, strings.Split(flat, "\n")[i])
				}
			}
			for _, w := range tc.words {
				if !strings.Contains(flat, w) {
					t.Errorf("the Russian report lacks %q:\n%s", w, flat)
				}
			}
			en, ru := reports[i18n.English], reports[i18n.Russian]
			if diff := cmp.Diff(statuses(en), statuses(ru)); diff != "" {
				t.Errorf("the checks differ by language (-en +ru):\n%s", diff)
			}
			if diff := cmp.Diff(jsonKeys(t, en), jsonKeys(t, ru)); diff != "" {
				t.Errorf("the JSON keys differ by language (-en +ru):\n%s", diff)
			}
			all := sampleJSONKeys(t)
			for _, k := range jsonKeys(t, ru) {
				if !slices.Contains(all, k) {
					t.Errorf("the Russian JSON report has the key %q, which the English sample report has not", k)
				}
			}
		})
	}
}

// jsonKeys returns every object key of r's JSON report with its path, e.g.
// "checks[].fix", sorted.
func jsonKeys(t *testing.T, r *Report) []string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return keysOf(t, b.Bytes())
}

// sampleJSONKeys are the keys of the sample report, which has every one.
func sampleJSONKeys(t *testing.T) []string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	return keysOf(t, b.Bytes())
}

func keysOf(t *testing.T, data []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				seen[path+k] = true
				walk(path+k+".", e)
			}
		case []any:
			for _, e := range v {
				walk(strings.TrimSuffix(path, ".")+"[].", e)
			}
		}
	}
	walk("", v)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
