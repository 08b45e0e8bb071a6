import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { authorizedFetch } from "../api/client";
import { take, thumbnailUrl } from "../api/prefetch";

/** A resume's first page as rendered by the API (PNG), for cards. */
export function Thumbnail({ resumeId, version, title }: { resumeId: string; version: number; title: string }) {
  const { data } = useQuery({
    queryKey: ["thumbnail", resumeId, version],
    queryFn: async () => {
      const url = thumbnailUrl(resumeId);
      const early = await take(url)?.catch(() => null);
      const response = early?.ok ? early : await authorizedFetch(url);
      if (!response.ok) throw new Error("thumbnail");
      return response.blob();
    },
    staleTime: Infinity,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!data) return;
    const objectUrl = URL.createObjectURL(data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [data]);
  return (
    <div className="aspect-[1/1.414] w-full overflow-hidden rounded border border-slate-300 bg-white">
      {url ? <img src={url} alt={`First page of ${title}`} className="h-full w-full object-cover object-top" /> : null}
    </div>
  );
}
