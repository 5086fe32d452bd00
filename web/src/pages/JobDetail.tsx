/** One Job (placeholder of the app shell; the page itself comes with issue 13). */
export function JobDetail({ id }: { id: string }) {
  return (
    <section>
      <h1>Job {id}</h1>
    </section>
  );
}
