package i18n

import "fmt"

// doctorEN is the English of doctor's report (its findings and fixes) and
// of the advice for the layers its checks name: a second map, merged into
// en, so that doctor's words live apart from the gate's.
var doctorEN = map[string]Message{
	// Advice (gate.Advice) by the layer a request failed at.
	"advice.net.dns":           {Other: "check the host name in %s, and that this runner's DNS knows it (an internal name may resolve only inside the company network or VPN); then %s"},
	"advice.net.proxy.dns":     {Other: "check the proxy's host name in `HTTPS_PROXY` / `HTTP_PROXY`, or add the CodeScoring host to `NO_PROXY`; then %s"},
	"advice.net.proxy.connect": {Other: "check the proxy's address in `HTTPS_PROXY` / `HTTP_PROXY`, or add the CodeScoring host to `NO_PROXY`; then %s"},
	"advice.net.plain":         {Other: "CodeScoring speaks plain http on that port: use http:// in %s, or the port that serves https"},
	"advice.tls.ca.given":      {Other: "%s does not hold the CA that issued CodeScoring's certificate: set it to the PEM certificate of that CA (and of any intermediate CA)"},
}

// init merges doctor's catalogs into the gate's. A key in both would hide
// one of the messages: that is a bug, which every test of the module finds.
func init() {
	for _, c := range []struct{ into, from map[string]Message }{{en, doctorEN}, {ru, doctorRU}} {
		for k, m := range c.from {
			if _, dup := c.into[k]; dup {
				panic(fmt.Sprintf("i18n: message %q is in doctor's catalog and the gate's", k))
			}
			c.into[k] = m
		}
	}
}
