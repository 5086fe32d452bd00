/** Workflows (placeholder of the app shell; the page itself comes with issue 13). */
export function Workflows() {
  return (
    <section>
      <h1>Workflows</h1>
    </section>
  );
}
