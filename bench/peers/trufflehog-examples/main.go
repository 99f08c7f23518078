// Command trufflehog-examples writes TruffleHog's detector pattern-test
// inputs as JSON lines {"peer","rule","positive","text","secrets"}, read from
// the test sources without building them: in each pkg/detectors/**/*_test.go
// (integration tests left out), every composite literal with an `input`
// field whose value is a string this program can evaluate (literals, the
// file's string vars and consts, +, fmt.Sprintf with %s, %d and %v). An input
// whose `want` is non-empty is a positive; `secrets` are the wanted strings.
// Inputs built any other way are skipped and counted. Google's Veles
// (osv-scalibr/veles/secrets) writes its detector tests the same way, so the
// same walk reads them; PEER names the scanner in the output (default
// trufflehog).
//
//	go run ./bench/peers/trufflehog-examples DETECTORS_DIR [PEER] > OUT.jsonl
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type example struct {
	Peer     string   `json:"peer"`
	Rule     string   `json:"rule"`
	Positive bool     `json:"positive"`
	Text     string   `json:"text"`
	Secrets  []string `json:"secrets,omitempty"`
}

// evaluator resolves string expressions of one file.
type evaluator struct {
	names map[string]ast.Expr
	depth int
}

func (e *evaluator) eval(x ast.Expr) (string, bool) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > 32 {
		return "", false
	}
	switch v := x.(type) {
	case *ast.BasicLit:
		if v.Kind == token.STRING || v.Kind == token.CHAR {
			s, err := strconv.Unquote(v.Value)
			return s, err == nil
		}
		if v.Kind == token.INT {
			return v.Value, true
		}
	case *ast.ParenExpr:
		return e.eval(v.X)
	case *ast.Ident:
		if def, ok := e.names[v.Name]; ok {
			return e.eval(def)
		}
	case *ast.BinaryExpr:
		if v.Op == token.ADD {
			a, ok1 := e.eval(v.X)
			b, ok2 := e.eval(v.Y)
			return a + b, ok1 && ok2
		}
	case *ast.CallExpr:
		sel, ok := v.Fun.(*ast.SelectorExpr)
		if !ok || len(v.Args) == 0 {
			return "", false
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || pkg.Name != "fmt" || sel.Sel.Name != "Sprintf" {
			return "", false
		}
		format, ok := e.eval(v.Args[0])
		if !ok {
			return "", false
		}
		args := make([]any, 0, len(v.Args)-1)
		for _, a := range v.Args[1:] {
			s, ok := e.eval(a)
			if !ok {
				return "", false
			}
			args = append(args, s)
		}
		format = strings.NewReplacer("%d", "%s", "%v", "%s", "%q", "%q").Replace(format)
		out := fmt.Sprintf(format, args...)
		return out, !strings.Contains(out, "%!")
	}
	return "", false
}

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: trufflehog-examples DETECTORS_DIR [PEER]")
		os.Exit(2)
	}
	root := os.Args[1]
	peer := "trufflehog"
	if len(os.Args) == 3 {
		peer = os.Args[2]
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	written, skipped := 0, 0
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, "_test.go") ||
			strings.Contains(filepath.Base(path), "integration") {
			return err
		}
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			skipped++
			return nil
		}
		ev := &evaluator{names: map[string]ast.Expr{}}
		ast.Inspect(file, func(n ast.Node) bool {
			if spec, ok := n.(*ast.ValueSpec); ok {
				for i, name := range spec.Names {
					if i < len(spec.Values) {
						ev.names[name.Name] = spec.Values[i]
					}
				}
			}
			if assign, ok := n.(*ast.AssignStmt); ok && len(assign.Lhs) == len(assign.Rhs) {
				for i, l := range assign.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						ev.names[id.Name] = assign.Rhs[i]
					}
				}
			}
			return true
		})
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			var input, want ast.Expr
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				if key, ok := kv.Key.(*ast.Ident); ok {
					switch key.Name {
					case "input":
						input = kv.Value
					case "want":
						want = kv.Value
					}
				}
			}
			if input == nil {
				return true
			}
			text, ok := ev.eval(input)
			if !ok {
				skipped++
				return true
			}
			ex := example{Peer: peer, Rule: rel, Text: text}
			if w, ok := want.(*ast.CompositeLit); ok {
				for _, el := range w.Elts {
					if s, ok := ev.eval(el); ok {
						ex.Secrets = append(ex.Secrets, s)
					}
				}
				ex.Positive = len(w.Elts) > 0
			}
			if err := enc.Encode(ex); err != nil {
				panic(err)
			}
			written++
			return true
		})
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "%d examples written, %d inputs not evaluated\n", written, skipped)
}
