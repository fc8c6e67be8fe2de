package io.clawmesh.coordinator;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires {@link DataDirectory}: the dir is prepared before the embedded H2 database opens its files there (H2 would
 * create a missing dir with the process umask, usually 0755).
 */
@Configuration(proxyBeanMethods = false)
class DataDirectoryConfiguration {

    private static final String H2_FILE = "jdbc:h2:file:";

    @Bean
    DataDirectory dataDirectory(MeshProperties properties) {
        return new DataDirectory(properties.dataDir());
    }

    @Bean
    static BeanPostProcessor dataDirectoryBeforeDatabase(
            ObjectProvider<DataDirectory> dataDirectory, Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource) {
                    DataDirectory directory = dataDirectory.getObject();
                    if (isH2FileIn(environment.getProperty("spring.datasource.url", ""), directory.path())) {
                        directory.prepare();
                    }
                }
                return bean;
            }
        };
    }

    /** Whether the URL is an H2 database file inside the dir (PostgreSQL or an in-memory H2 keep nothing there). */
    static boolean isH2FileIn(String url, Path dir) {
        if (!url.regionMatches(true, 0, H2_FILE, 0, H2_FILE.length())) {
            return false;
        }
        String file = url.substring(H2_FILE.length());
        int options = file.indexOf(';');
        file = (options >= 0) ? file.substring(0, options) : file;
        return Path.of(file).toAbsolutePath().normalize().startsWith(dir);
    }
}
