// Checks recorded HTTP exchanges against api/openapi.json: the operation exists, the request
// conforms (parameters and body) or else was refused with a 4XX, the status is documented,
// the content type is one the operation answers with, and a JSON body matches its schema.
// Schemas are validated by Ajv's JSON Schema 2020-12 engine, the dialect of OpenAPI 3.1.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const k_methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

// Debug-only routes (server.debug_routes) are not part of the published API.
const k_undocumented_prefixes = ['/_debug/'];

function pointerEscape(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function mediaType(contentType) {
  return (contentType || '').split(';')[0].trim().toLowerCase();
}

function isJson(type) {
  return type === 'application/json' || type.endsWith('+json');
}

export class OpenApiChecker {
  constructor(doc) {
    this.doc = doc;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // OpenAPI's own formats for numbers and opaque strings carry no constraint JSON Schema
    // checks.
    for (const f of ['int32', 'int64', 'float', 'double', 'password', 'binary', 'byte'])
      if (!this.ajv.formats[f]) this.ajv.addFormat(f, true);
    this.ajv.addSchema(doc, 'openapi.json');
    this.validators = new Map();
    this.routes = Object.entries(doc.paths).map(([template, item]) => ({
      template,
      item,
      regex: new RegExp(
        '^' +
          template
            .split(/(\{[^}]+\})/)
            .map((part) =>
              // {path} is the description's catch-all for files under a prefix
              // (/assets/app/app.js, /media/12/…): it spans segments.
              part === '{path}' ? '(.+)'
                : part.startsWith('{') ? '([^/]+)'
                : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
            )
            .join('') +
          '$',
      ),
      names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      // Literal segments win over templated ones (/me/leads/stats before /leads/{id}).
      literal: template.replace(/\{[^}]+\}/g, '').length,
    }));
    this.routes.sort((a, b) => b.literal - a.literal);
  }

  // Follows a Reference Object; returns [object, its JSON Pointer].
  resolve(obj, pointer) {
    while (obj && obj.$ref) {
      pointer = obj.$ref;
      obj = pointer
        .slice(2)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((o, k) => o?.[k], this.doc);
    }
    return [obj, pointer];
  }

  validator(pointer) {
    if (!this.validators.has(pointer))
      this.validators.set(pointer, this.ajv.compile({ $ref: 'openapi.json' + pointer }));
    return this.validators.get(pointer);
  }

  schemaErrors(pointer, value) {
    const v = this.validator(pointer);
    if (v(value)) return [];
    return v.errors.map((e) => `${e.instancePath || '/'} ${e.message}` +
      (e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : '') +
      (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''));
  }

  route(method, path) {
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      const op = r.item[method] ?? (method === 'head' ? r.item.get : undefined);
      if (!op) continue;
      const params = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      const opPointer = `#/paths/${pointerEscape(r.template)}/${r.item[method] ? method : 'get'}`;
      return { template: r.template, op, params, item: r.item, opPointer };
    }
    return null;
  }

  // A parameter's raw text as the JSON value its schema describes (form style, explode).
  coerce(schema, values) {
    const [s] = this.resolve(schema, '');
    const one = (text, type) => {
      if (type === 'integer' || type === 'number') return text.trim() === '' ? text : Number(text);
      if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
      return text;
    };
    const type = Array.isArray(s?.type) ? s.type.find((t) => t !== 'null') : s?.type;
    if (type === 'array') {
      const [items] = this.resolve(s.items ?? {}, '');
      const itemType = Array.isArray(items.type) ? items.type[0] : items.type;
      return values.flatMap((v) => v.split(',')).map((v) => one(v, itemType));
    }
    return one(values[values.length - 1], type);
  }

  // Problems with the request; empty when it conforms.
  requestProblems(route, query, exchange) {
    const problems = [];
    const pathPointer = route.opPointer.replace(/\/[^/]+$/, '');
    const params = [
      ...(route.item.parameters ?? []).map((p, i) => this.resolve(p, `${pathPointer}/parameters/${i}`)),
      ...(route.op.parameters ?? []).map((p, i) => this.resolve(p, `${route.opPointer}/parameters/${i}`)),
    ];
    const seen = new Set();
    // An operation's parameter overrides the path item's of the same name and place.
    for (const [p, pointer] of params.reverse()) {
      const key = `${p.in}:${p.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let values = null;
      if (p.in === 'path') values = [route.params[p.name]];
      else if (p.in === 'query') values = query.has(p.name) ? query.getAll(p.name) : null;
      else continue;  // headers and cookies are not recorded
      if (values === null) {
        if (p.required) problems.push(`required ${p.in} parameter ${p.name} is missing`);
        continue;
      }
      if (!p.schema) continue;
      for (const e of this.schemaErrors(`${pointer}/schema`, this.coerce(p.schema, values)))
        problems.push(`${p.in} parameter ${p.name}: ${e}`);
    }
    const [body, bodyPointer] = this.resolve(route.op.requestBody, `${route.opPointer}/requestBody`);
    const type = mediaType(exchange.request_content_type);
    const sent = exchange.request_body !== null && exchange.request_body !== undefined;
    if (body) {
      if (!sent && body.required) problems.push('the required request body is missing');
      if (sent) {
        const mediaKey = type in (body.content ?? {}) ? type
          : Object.keys(body.content ?? {}).find((k) => k.endsWith('/*') &&
              type.startsWith(k.slice(0, -1)));
        if (!mediaKey) {
          problems.push(`request content type ${type || '(none)'} is not one of ` +
            Object.keys(body.content ?? {}).join(', '));
        } else if (isJson(type) && body.content[mediaKey].schema) {
          let value;
          try {
            value = JSON.parse(exchange.request_body);
          } catch {
            problems.push('the request body is not JSON');
          }
          if (value !== undefined)
            for (const e of this.schemaErrors(
              `${bodyPointer}/content/${pointerEscape(mediaKey)}/schema`, value))
              problems.push(`request body ${e}`);
        }
      }
    }
    return problems;
  }

  responseProblems(route, exchange) {
    const problems = [];
    const status = String(exchange.status);
    const responses = route.op.responses ?? {};
    const key = status in responses ? status
      : `${status[0]}XX` in responses ? `${status[0]}XX`
      : 'default' in responses ? 'default' : null;
    if (!key) {
      problems.push(`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
      return problems;
    }
    const [response, pointer] = this.resolve(
      responses[key], `${route.opPointer}/responses/${pointerEscape(key)}`);
    const type = mediaType(exchange.content_type);
    const hasBody = exchange.body !== null && exchange.body !== undefined;
    const content = response.content ?? {};
    if (!Object.keys(content).length) {
      if (hasBody && exchange.method !== 'HEAD')
        problems.push(`status ${status} is documented without a body, but one came (${type})`);
      return problems;
    }
    if (!hasBody && exchange.method === 'HEAD') return problems;
    const mediaKey = type in content ? type
      : Object.keys(content).find((k) => k === '*/*' ||
          (k.endsWith('/*') && type.startsWith(k.slice(0, -1))));
    if (!mediaKey) {
      problems.push(`content type ${type || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
      return problems;
    }
    const media = content[mediaKey];
    if (isJson(type) && media.schema) {
      // A compressed body is recorded by size only (its schema was checked uncompressed).
      if (typeof exchange.body !== 'string') return problems;
      let value;
      try {
        value = JSON.parse(exchange.body);
      } catch {
        problems.push('the response body is not JSON');
        return problems;
      }
      for (const e of this.schemaErrors(`${pointer}/content/${pointerEscape(mediaKey)}/schema`, value))
        problems.push(`response body ${e}`);
    }
    return problems;
  }

  // Every way `exchange` breaks the description; empty when it conforms.
  check(exchange) {
    const url = new URL(exchange.target, 'http://griha.test');
    if (k_undocumented_prefixes.some((p) => url.pathname.startsWith(p))) return [];
    const method = exchange.method.toLowerCase();
    if (!k_methods.includes(method)) return [];
    const route = this.route(method, url.pathname);
    if (!route) {
      // Unknown paths and methods are answered 404 and 405 with a problem: that is the
      // router's behaviour, the same for every path, not an operation's.
      // A CORS preflight is answered by the middleware for every route, without a body.
      if (method === 'options' && exchange.status === 204 && !exchange.body) return [];
      if (exchange.status === 404 || exchange.status === 405) {
        const type = mediaType(exchange.content_type);
        return type === 'application/problem+json' ? []
          : [`an unrouted request answered ${exchange.status} as ${type}`];
      }
      return [`no operation ${exchange.method} ${url.pathname} in the description`];
    }
    const problems = [];
    const requestProblems = this.requestProblems(route, url.searchParams, exchange);
    // A request outside the contract must be refused; one inside it may fail for other reasons.
    if (requestProblems.length && exchange.status < 400)
      problems.push(...requestProblems.map((p) => `accepted (${exchange.status}) a request outside the contract: ${p}`));
    problems.push(...this.responseProblems(route, exchange));
    return problems.map((p) => `${exchange.method} ${route.template}: ${p}`);
  }
}
