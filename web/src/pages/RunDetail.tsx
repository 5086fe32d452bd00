/** One Run (placeholder of the app shell; the page itself comes with issue 13). */
export function RunDetail({ id }: { id: string }) {
  return (
    <section>
      <h1>Run {id}</h1>
    </section>
  );
}
