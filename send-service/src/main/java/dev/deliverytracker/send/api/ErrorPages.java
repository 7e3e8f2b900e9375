package dev.deliverytracker.send.api;

import dev.deliverytracker.support.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.swagger.v3.oas.annotations.Hidden;

/** The router's own refusals (unknown path or method) as problem+json like every other error here. */
@Controller
@Hidden
public class ErrorPages {

    @Error(status = HttpStatus.NOT_FOUND, global = true)
    public HttpResponse<Problem> notFound(HttpRequest<?> request) {
        return Problem.response(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "No endpoint at this path; see /swagger/send-service-0.1.yml");
    }

    @Error(status = HttpStatus.METHOD_NOT_ALLOWED, global = true)
    public HttpResponse<Problem> methodNotAllowed(HttpRequest<?> request) {
        return Problem.response(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                "See /swagger/send-service-0.1.yml for the methods of each path");
    }
}
