package gocrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/clubdesk/clubdesk/providers/httpx"
	"github.com/go-resty/resty/v2"
)

// clientsMaxBody caps GET /clients (assumption 16). The list is decoded as
// it arrives, client by client, so the body is never held whole: the cap
// only stops an answer that never ends. 256 MB is about two million
// clients at the ~130 bytes a client takes on the wire.
const clientsMaxBody = 256 << 20

// readClients reads GET /clients as a stream into the search index. Errors
// are read as every other answer of the client API (interpret).
func (c *Client) readClients(ctx context.Context) (*clientIndex, error) {
	const op = "clients"
	req := c.list.Read.R().SetDoNotParseResponse(true)
	if err := c.authorize(req, true); err != nil {
		return nil, err
	}
	resp, err := req.SetContext(ctx).Execute(http.MethodGet, "/clients")
	if err != nil {
		return nil, c.list.TransportError(op, false, err)
	}
	body := resp.RawBody()
	defer body.Close()
	status, h := resp.StatusCode(), resp.Header()
	if status < 200 || status >= 300 {
		raw, _ := io.ReadAll(io.LimitReader(body, httpx.DefaultMaxBody))
		return nil, c.interpret(op, false, h, status, raw, nil)
	}
	r := &cappedReader{r: body, left: clientsMaxBody}
	var b indexBuilder
	var env answer
	err = decodeClients(json.NewDecoder(r), &b, &env)
	switch {
	case r.over:
		return nil, c.list.TransportError(op, false, fmt.Errorf("GET /clients: %w", errTooLarge))
	case r.err != nil:
		return nil, c.list.TransportError(op, false, r.err)
	case err != nil:
		return nil, c.list.Garbled(op, false, status, err)
	}
	if s := strings.ToLower(string(env.Status)); s == "error" || s == "fail" || s == "failed" {
		return nil, c.refusalIn200(c.refusal(c.list, op, false, status, h, first(string(env.Message), string(env.Error)), env.Errors), string(env.Status))
	}
	return b.build(), nil
}

// errTooLarge is resty's own, so that httpx words it as every answer too
// large.
var errTooLarge = resty.ErrResponseBodyTooLarge

// decodeClients reads {data: [client, ...]} (or a bare list), one client at
// a time; the envelope's status and message land in env.
func decodeClients(dec *json.Decoder, b *indexBuilder, env *answer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		return decodeList(dec, b)
	case json.Delim('{'):
	default:
		return errors.New("not a JSON answer")
	}
	data := false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := kt.(string)
		switch {
		case strings.EqualFold(key, "data"):
			data = true
			t, err := dec.Token()
			switch {
			case err != nil:
				return err
			case t == nil: // null: no clients
			case t == json.Delim('['):
				if err := decodeList(dec, b); err != nil {
					return err
				}
			default:
				return fmt.Errorf("data is %v, not a list", t)
			}
		case strings.EqualFold(key, "status"):
			err = dec.Decode(&env.Status)
		case strings.EqualFold(key, "message"):
			err = dec.Decode(&env.Message)
		case strings.EqualFold(key, "error"):
			err = dec.Decode(&env.Error)
		case strings.EqualFold(key, "errors"):
			err = dec.Decode(&env.Errors)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if !data && env.Status == "" {
		return errors.New("no data in the answer")
	}
	return nil
}

// decodeList reads the elements of a list whose '[' was read, and its ']'.
func decodeList(dec *json.Decoder, b *indexBuilder) error {
	for dec.More() {
		var w wireClient
		if err := dec.Decode(&w); err != nil {
			return err
		}
		b.add(w)
	}
	_, err := dec.Token()
	return err
}

// cappedReader reads at most left bytes and tells a failed read from the
// cap.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
	err  error
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.over = true
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return n, err
}
