// GraphiQL for /graphql, bundled from npm and served by the API itself (no CDN). Requests go to the same
// origin; add `Authorization: Bearer …` or `X-API-Key` in the headers pane (a browser session cookie,
// when signed in to the app, is sent too).
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/graphiql.css";
import "./page.css";

async function fetcher(params, options) {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return response.json();
}

const example = `# Shortlist GraphQL. Put credentials in the Headers pane, e.g.
# {"Authorization": "Bearer <access token>"}
query Templates {
  templates { slug name }
}
`;

createRoot(document.getElementById("graphiql")).render(
  createElement(GraphiQL, { fetcher, defaultQuery: example, shouldPersistHeaders: false }),
);
