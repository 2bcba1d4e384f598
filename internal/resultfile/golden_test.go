package resultfile

import "testing"

func TestGoldenFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		for _, r := range []struct {
			ext    string
			render func(Input) ([]byte, error)
		}{
			{"report.json", JSON},
			{"junit.xml", JUnit},
			{"codequality.json", CodeQuality},
		} {
			t.Run(tc.name+"/"+r.ext, func(t *testing.T) {
				t.Parallel()
				got, err := r.render(tc.in())
				if err != nil {
					t.Fatal(err)
				}
				again, err := r.render(tc.in())
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(again) {
					t.Errorf("two renders of the same input differ")
				}
				golden(t, tc.name+"."+r.ext, got)
			})
		}
	}
}
