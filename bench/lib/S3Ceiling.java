import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The store's own ceiling, for bench/run's s3 rows: COUNT objects of SIZE bytes put, then got, by THREADS
 * threads of one AWS SDK client. Prints "PUT_MBPS GET_MBPS". Run with the s3 plugin jar (the SDK) and the
 * core jar (SLF4J) on the class path: java -cp CORE:PLUGIN S3Ceiling.java ENDPOINT BUCKET COUNT SIZE THREADS
 */
public class S3Ceiling {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        int count = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"))))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(threads))
                .build();
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            double put = timed(pool, count, i -> s3.putObject(b -> b.bucket(bucket).key("ceiling/" + i), RequestBody.fromBytes(data)));
            double get = timed(pool, count, i -> s3.getObject(b -> b.bucket(bucket).key("ceiling/" + i), ResponseTransformer.toBytes()));
            System.out.printf("%.1f %.1f%n", (double) count * size / put / 1e6, (double) count * size / get / 1e6);
        }
    }

    interface Call {
        void run(int i) throws Exception;
    }

    private static double timed(ExecutorService pool, int count, Call call) throws Exception {
        long t0 = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            all.add(pool.submit(() -> { call.run(n); return null; }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
